import Logging
import NIOConcurrencyHelpers
import Telemetry

/// Holds the live health state and publishes every change, as a
/// ``HealthUpdate``, to its observers.
///
/// Probe requests read ``snapshot`` (one uncontended lock and a reference
/// count); they never wait for a check. Observers (``subscribe(_:)``) hear
/// each update before the call that caused it returns, so an admin flip
/// shows on the very next probe request; updates reach them one at a time,
/// in the order the changes happened, so no observer ever goes back to an
/// older snapshot. The monitor itself only keeps state: the answer store,
/// systemd, the transition log (``TransitionLog``) and the metrics
/// (``HealthMetrics``) are observers.
public final class HealthMonitor: Sendable {
    // Guards the state value and the snapshot made from it; held only to mutate and copy.
    private let state: NIOLockedValueBox<(state: MonitorState, snapshot: HealthSnapshot)>
    // Serializes changes with their delivery, so observers hear them in order; probes never take it.
    private let delivery = NIOLock()
    private let observers = NIOLockedValueBox<[any HealthObserver]>([])
    private let logger: Logger
    private let wallClock: @Sendable () -> WallClockTimestamp
    private let uptime: @Sendable () -> Duration

    /// Creates a monitor for `checks`.
    /// - Parameters:
    ///   - checks: The validated check configurations.
    ///   - logger: Records commands (admin flips, the heartbeat hook) and, through
    ///     a ``TransitionLog`` subscribed here, one entry per transition.
    ///   - metrics: Subscribed at once, when given.
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
        self.wallClock = wallClock
        self.uptime = uptime
        subscribe(TransitionLog(logger: logger))
        if let metrics { subscribe(metrics) }
    }

    private var now: MonitorTime {
        MonitorTime(wall: wallClock(), uptime: uptime())
    }

    /// The latest snapshot.
    public var snapshot: HealthSnapshot {
        state.withLockedValue { $0.snapshot }
    }

    /// Delivers the current snapshot to `observer` now, and every update from then on.
    public func subscribe(_ observer: some HealthObserver) {
        delivery.withLock {
            observers.withLockedValue { $0.append(observer) }
            observer.observe(HealthUpdate(snapshot: snapshot, previous: nil))
        }
    }

    /// Calls `body` with the current snapshot now, and with every new one.
    public func onSnapshot(_ body: @escaping @Sendable (HealthSnapshot) -> Void) {
        subscribe(SnapshotObserver(body: body))
    }

    /// Applies one run's result: the scheduler's report (or a library's own).
    public func record(check name: String, outcome: Result<Void, CheckFailure>, duration: Duration) {
        record(check: name, result: CheckRunResult(outcome), duration: duration)
    }

    /// Applies one run's result, with its warning or certificate if it had any.
    public func record(check name: String, result: CheckRunResult, duration: Duration) {
        let now = self.now
        let run: CheckRun
        switch result.verdict {
        case .pass, .warn: run = CheckRun(check: name, result: .success, reason: nil, duration: duration)
        case .fail(let failure):
            run = CheckRun(check: name, result: failure.reason == .timeout ? .timeout : .failure, reason: failure.reason, duration: duration)
        }
        mutate(run: run) { $0.record(name, result: result, duration: duration, now: now) }
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

    /// Fails (`failing: true`) or recovers a simulated check, effective at once.
    ///
    /// The flip counts as the simulated check's run: `health_check_runs_total`
    /// and `health_check_failures_total{reason="simulated"}` show fault drills.
    /// - Returns: The snapshot that includes the change.
    /// - Throws: ``CheckControlError`` `unknownCheck` or `notControllable`.
    @discardableResult
    public func setSimulated(check name: String, failing: Bool) throws(CheckControlError) -> HealthSnapshot {
        let now = wallClock()
        let run = CheckRun(check: name, result: failing ? .failure : .success, reason: failing ? .simulated : nil, duration: .zero)
        let snapshot = try mutate(run: run) { state throws(CheckControlError) in
            try state.setSimulated(name, failing: failing, now: now)
        }
        logger.notice(failing ? "check failed by admin request" : "check recovered by admin request", metadata: ["check": "\(name)"])
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

    /// Applies a reload: checks the plan keeps keep their state and
    /// thresholds' progress; new and changed ones start `pending`; removed
    /// ones disappear from probes (and, through the update, from metrics).
    @discardableResult
    public func apply(_ plan: ReloadPlan) -> HealthSnapshot {
        let now = self.now
        return mutate(reload: plan) { $0.apply(plan, now: now) }
    }

    /// Applies a change and delivers the update to every observer, in order.
    @discardableResult
    private func mutate<Failure: Error>(
        run: CheckRun? = nil,
        reload: ReloadPlan? = nil,
        _ change: (inout MonitorState) throws(Failure) -> [HealthEvent]
    ) throws(Failure) -> HealthSnapshot {
        delivery.lock()
        defer { delivery.unlock() }
        do {
            let result = state.withLockedValue { box -> Result<HealthUpdate?, Failure> in
                do throws(Failure) {
                    let generation = box.state.generation
                    let events = try change(&box.state)
                    // Nothing changed (most sweeps): keep the snapshot and its encoded answers.
                    guard box.state.generation != generation else { return .success(nil) }
                    let previous = box.snapshot
                    box.snapshot = box.state.snapshot()
                    return .success(HealthUpdate(snapshot: box.snapshot, previous: previous, events: events, run: run, reload: reload))
                } catch {
                    return .failure(error)
                }
            }
            guard let update = try result.get() else { return snapshot }
            for observer in observers.withLockedValue({ $0 }) {
                observer.observe(update)
            }
            return update.snapshot
        }
    }
}

/// ``HealthMonitor/onSnapshot(_:)``'s closure as an observer.
private struct SnapshotObserver: HealthObserver {
    let body: @Sendable (HealthSnapshot) -> Void

    func observe(_ update: HealthUpdate) {
        body(update.snapshot)
    }
}
