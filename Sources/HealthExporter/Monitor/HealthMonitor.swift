import Logging
import NIOConcurrencyHelpers
import Telemetry

/// Holds the live health state and publishes a new ``HealthSnapshot`` on
/// every change.
///
/// Probe requests read ``snapshot`` (one uncontended lock and a reference
/// count); they never wait for a check. Observers registered with
/// ``onSnapshot(_:)`` hear each new snapshot before the call that caused it
/// returns, so an admin flip shows on the very next probe request.
public final class HealthMonitor: Sendable {
    // Guards the state value and the snapshot made from it; held only to mutate and copy.
    private let state: NIOLockedValueBox<(state: MonitorState, snapshot: HealthSnapshot)>
    private let observers = NIOLockedValueBox<[@Sendable (HealthSnapshot) -> Void]>([])
    private let logger: Logger
    private let wallClock: @Sendable () -> WallClockTimestamp

    /// Creates a monitor for `checks`.
    /// - Parameters:
    ///   - checks: The validated check configurations.
    ///   - logger: Receives one entry per transition.
    ///   - wallClock: The time source for "last success" (tests pin it).
    public init(
        checks: [CheckConfig],
        logger: Logger,
        wallClock: @escaping @Sendable () -> WallClockTimestamp = { .now() }
    ) {
        let initial = MonitorState(checks: checks, now: wallClock())
        self.state = NIOLockedValueBox((initial, initial.snapshot()))
        self.logger = logger
        self.wallClock = wallClock
    }

    /// The latest snapshot.
    public var snapshot: HealthSnapshot {
        state.withLockedValue { $0.snapshot }
    }

    /// Calls `observer` with the current snapshot now, and with every new one.
    ///
    /// Observers run on the thread that caused the change and must be quick;
    /// two changes racing may deliver out of order, so keep the highest
    /// ``HealthSnapshot/generation``.
    public func onSnapshot(_ observer: @escaping @Sendable (HealthSnapshot) -> Void) {
        observers.withLockedValue { $0.append(observer) }
        observer(snapshot)
    }

    /// Fails (`failing: true`) or recovers a simulated check, effective at once.
    /// - Returns: The snapshot that includes the change.
    /// - Throws: ``CheckControlError`` `unknownCheck` or `notControllable`.
    @discardableResult
    public func setSimulated(check name: String, failing: Bool) throws(CheckControlError) -> HealthSnapshot {
        let now = wallClock()
        let result = state.withLockedValue { box -> Result<([HealthEvent], HealthSnapshot), CheckControlError> in
            do throws(CheckControlError) {
                let events = try box.state.setSimulated(name, failing: failing, now: now)
                box.snapshot = box.state.snapshot()
                return .success((events, box.snapshot))
            } catch {
                return .failure(error)
            }
        }
        let (events, snapshot) = try result.get()
        logger.notice(
            failing ? "check failed by admin request" : "check recovered by admin request",
            metadata: ["check": "\(name)"]
        )
        publish(snapshot, events: events)
        return snapshot
    }

    /// Switches planned maintenance: readiness fails with reason `maintenance`.
    @discardableResult
    public func setMaintenance(_ on: Bool) -> HealthSnapshot {
        let (events, snapshot) = state.withLockedValue { box in
            let events = box.state.setMaintenance(on)
            box.snapshot = box.state.snapshot()
            return (events, box.snapshot)
        }
        publish(snapshot, events: events)
        return snapshot
    }

    private func publish(_ snapshot: HealthSnapshot, events: [HealthEvent]) {
        for observer in observers.withLockedValue({ $0 }) {
            observer(snapshot)
        }
        for event in events {
            log(event)
        }
    }

    private func log(_ event: HealthEvent) {
        switch event {
        case .checkDown(let check):
            var metadata: Logger.Metadata = ["check": "\(check.name)", "kind": "\(check.kind)", "critical": "\(check.critical)"]
            if let reason = check.reason { metadata["reason"] = "\(reason)" }
            if let output = check.output { metadata["output"] = "\(output)" }
            logger.log(level: check.critical ? .error : .warning, "check down", metadata: metadata)
        case .checkUp(let check):
            logger.notice("check up", metadata: ["check": "\(check.name)", "kind": "\(check.kind)"])
        case .probeChanged(let verdict):
            var metadata: Logger.Metadata = ["probe": "\(verdict.probe.endpoint)", "status": "\(verdict.status)"]
            let failing = verdict.checks.filter { $0.status == .fail }.map(\.name)
            if let reason = verdict.reason {
                metadata["reason"] = "\(reason)"
            } else if !failing.isEmpty {
                metadata["failing"] = "\(failing.joined(separator: ","))"
            }
            logger.notice("\(Self.transitionMessage(verdict))", metadata: metadata)
        case .maintenanceChanged(let on):
            logger.notice(on ? "maintenance on" : "maintenance off")
        }
    }

    private static func transitionMessage(_ verdict: ProbeVerdict) -> String {
        let healthy = verdict.status.isHealthy
        switch verdict.probe {
        case .liveness: return healthy ? "live" : "not live"
        case .readiness: return healthy ? "ready" : "not ready"
        case .startup: return healthy ? "started" : "not started"
        }
    }
}
