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
    private let metrics: HealthMetrics?
    private let wallClock: @Sendable () -> WallClockTimestamp
    private let uptime: @Sendable () -> Duration

    /// Creates a monitor for `checks`.
    /// - Parameters:
    ///   - checks: The validated check configurations.
    ///   - logger: Receives one entry per transition.
    ///   - metrics: Mirrors every snapshot and transition as metrics, when given.
    ///   - heartbeatTimeout: Adds the built-in `scheduler` liveness check, which
    ///     fails when ``beat()`` has not been called for this long.
    ///   - wallClock: The time shown as "last success" (tests pin it).
    ///   - uptime: Monotonic time for staleness (tests drive it).
    public init(
        checks: [CheckConfig],
        logger: Logger,
        metrics: HealthMetrics? = nil,
        heartbeatTimeout: Duration? = nil,
        wallClock: @escaping @Sendable () -> WallClockTimestamp = { .now() },
        uptime: (@Sendable () -> Duration)? = nil
    ) {
        let start = ContinuousClock.now
        let uptime = uptime ?? { ContinuousClock.now - start }
        let initial = MonitorState(checks: checks, heartbeatTimeout: heartbeatTimeout, now: MonitorTime(wall: wallClock(), uptime: uptime()))
        self.state = NIOLockedValueBox((initial, initial.snapshot()))
        self.logger = logger
        self.metrics = metrics
        self.wallClock = wallClock
        self.uptime = uptime
        metrics?.apply(initial.snapshot())
    }

    private var now: MonitorTime {
        MonitorTime(wall: wallClock(), uptime: uptime())
    }

    /// Applies one run's result: the scheduler's report (or a library's own).
    public func record(check name: String, outcome: Result<Void, CheckFailure>, duration: Duration) {
        let now = self.now
        mutate { $0.record(name, outcome: outcome, duration: duration, now: now) }
        switch outcome {
        case .success:
            metrics?.recordRun(check: name, result: .success, reason: nil, duration: duration)
            logger.debug("check passed", metadata: ["check": "\(name)", "duration_ms": "\(duration.milliseconds)"])
        case .failure(let failure):
            metrics?.recordRun(check: name, result: failure.reason == .timeout ? .timeout : .failure, reason: failure.reason, duration: duration)
            logger.debug(
                "check failed",
                metadata: ["check": "\(name)", "reason": "\(failure.reason)", "output": "\(failure.message)", "duration_ms": "\(duration.milliseconds)"]
            )
        }
    }

    /// The scheduler is alive; see `heartbeatTimeout`.
    public func beat() {
        let now = self.now
        mutate { $0.beat(now: now) }
    }

    /// Marks checks whose latest result is too old as `stale`, and a silent
    /// scheduler as down. Called on a timer that does not depend on the scheduler.
    public func sweep() {
        let now = self.now
        mutate { $0.sweep(now: now) }
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
    ///
    /// The flip counts as the simulated check's run: `health_check_runs_total`
    /// and `health_check_failures_total{reason="simulated"}` show fault drills.
    /// - Returns: The snapshot that includes the change.
    /// - Throws: ``CheckControlError`` `unknownCheck` or `notControllable`.
    @discardableResult
    public func setSimulated(check name: String, failing: Bool) throws(CheckControlError) -> HealthSnapshot {
        let now = wallClock()
        let snapshot = try mutate { state throws(CheckControlError) in
            try state.setSimulated(name, failing: failing, now: now)
        }
        metrics?.recordRun(check: name, result: failing ? .failure : .success, reason: failing ? .simulated : nil, duration: .zero)
        logger.notice(
            failing ? "check failed by admin request" : "check recovered by admin request",
            metadata: ["check": "\(name)"]
        )
        return snapshot
    }

    /// Switches planned maintenance: readiness fails with reason `maintenance`.
    @discardableResult
    public func setMaintenance(_ on: Bool) -> HealthSnapshot {
        mutate { $0.setMaintenance(on) }
    }

    /// Starts the shutdown drain: readiness answers 503 with reason
    /// `draining` from the next request on, for the rest of the process's life.
    /// Liveness, startup and `/metrics` are untouched.
    @discardableResult
    public func startDraining() -> HealthSnapshot {
        mutate { $0.startDraining() }
    }

    /// A test hook: ignores every later ``beat()``, so the built-in
    /// `scheduler` check goes stale and liveness fails as if the scheduler
    /// were wedged (the systemd watchdog, or a kubelet, then restarts the process).
    /// - Returns: false when the monitor has no heartbeat check.
    public func stopHeartbeat() -> Bool {
        let stopped = state.withLockedValue { $0.state.stopHeartbeat() }
        if stopped {
            logger.warning("heartbeat stopped by admin request: liveness fails once it is stale, and the process will be restarted")
        }
        return stopped
    }

    /// Replaces the checks (a configuration reload). Unchanged checks keep
    /// their state and thresholds' progress; new and changed ones start
    /// `pending`; removed ones disappear from probes. Metrics follow.
    @discardableResult
    public func reconfigure(checks: [CheckConfig]) -> HealthSnapshot {
        let now = self.now
        metrics?.reconfigure(checks: checks)
        return mutate { $0.reconfigure(checks, now: now) }
    }

    /// Applies a change, publishes the new snapshot, and reports its events.
    ///
    /// Metrics are set under the lock so they can never show an older snapshot
    /// than the newest; observers and logs run after it is released.
    @discardableResult
    private func mutate<Failure: Error>(_ change: (inout MonitorState) throws(Failure) -> [HealthEvent]) throws(Failure) -> HealthSnapshot {
        let result = state.withLockedValue { box -> Result<([HealthEvent], HealthSnapshot), Failure> in
            do throws(Failure) {
                let generation = box.state.generation
                let events = try change(&box.state)
                // Nothing changed (most sweeps): keep the snapshot and its encoded answers.
                guard box.state.generation != generation else { return .success(([], box.snapshot)) }
                let previous = box.snapshot
                box.snapshot = box.state.snapshot()
                metrics?.apply(box.snapshot, previous: previous)
                metrics?.apply(events)
                return .success((events, box.snapshot))
            } catch {
                return .failure(error)
            }
        }
        let (events, snapshot) = try result.get()
        for observer in observers.withLockedValue({ $0 }) {
            observer(snapshot)
        }
        for event in events {
            log(event)
        }
        return snapshot
    }

    private func log(_ event: HealthEvent) {
        switch event {
        case .checkDown(let check):
            var metadata: Logger.Metadata = [
                HealthLogEvent.metadataKey: "\(HealthLogEvent.checkDown.rawValue)",
                "check": "\(check.name)", "kind": "\(check.kind)", "critical": "\(check.critical)",
            ]
            if let reason = check.reason { metadata["reason"] = "\(reason)" }
            if let output = check.output { metadata["output"] = "\(output)" }
            logger.log(level: check.critical ? .error : .warning, "check down", metadata: metadata)
        case .checkUp(let check):
            logger.notice(
                "check up",
                metadata: [HealthLogEvent.metadataKey: "\(HealthLogEvent.checkUp.rawValue)", "check": "\(check.name)", "kind": "\(check.kind)"]
            )
        case .probeChanged(let verdict):
            var metadata: Logger.Metadata = ["probe": "\(verdict.probe.endpoint)", "status": "\(verdict.status)"]
            if verdict.probe == .readiness {
                let kind: HealthLogEvent = verdict.status.isHealthy ? .ready : .notReady
                metadata[HealthLogEvent.metadataKey] = "\(kind.rawValue)"
            }
            let failing = verdict.checks.filter { $0.status == .fail }.map(\.name)
            if let reason = verdict.reason {
                metadata["reason"] = "\(reason)"
            } else if !failing.isEmpty {
                metadata["failing"] = "\(failing.joined(separator: ","))"
            }
            logger.notice("\(Self.transitionMessage(verdict))", metadata: metadata)
        case .maintenanceChanged(let on):
            logger.notice(on ? "maintenance on" : "maintenance off")
        case .checkStale(let check):
            logger.warning("check stale", metadata: ["check": "\(check.name)", "reason": "stale", "output": "\(check.output ?? "")"])
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
