/// What one change to the monitor's state produced, as every
/// ``HealthObserver`` hears it, in the order the changes happened.
public struct HealthUpdate: Sendable {
    /// The new snapshot.
    public let snapshot: HealthSnapshot
    /// The snapshot before the change; nil for an observer's first delivery.
    public let previous: HealthSnapshot?
    /// Transitions the change caused, in order.
    public let events: [HealthEvent]
    /// The run the change records (a scheduled run, or a simulated flip).
    public let run: CheckRun?
    /// The reload the change applied.
    public let reload: ReloadPlan?

    init(snapshot: HealthSnapshot, previous: HealthSnapshot?, events: [HealthEvent] = [], run: CheckRun? = nil, reload: ReloadPlan? = nil) {
        self.snapshot = snapshot
        self.previous = previous
        self.events = events
        self.run = run
        self.reload = reload
    }
}

/// One result of a check: counted in `health_check_runs_total`.
public struct CheckRun: Sendable, Equatable {
    public let check: String
    public let result: HealthMetrics.RunResult
    /// Why it failed (nil on success).
    public let reason: FailureReason?
    public let duration: Duration
}

/// Hears every ``HealthUpdate`` of a ``HealthMonitor``: the answer store,
/// systemd notifications, the transition log and the metrics each subscribe
/// with ``HealthMonitor/subscribe(_:)``.
///
/// Updates arrive one at a time, in order, on the thread that caused the
/// change: observers must be quick and must not call back into the monitor's
/// mutating methods.
public protocol HealthObserver: Sendable {
    func observe(_ update: HealthUpdate)
}
