import Telemetry

/// One check's state as a plain value: its configuration, the policy its
/// kind judges it by, its latest snapshot, and when its last result came.
/// The monitor's state is an array of these (postgres-nio's per-connection
/// state inside the pool state); every rule below is testable step by step.
///
/// - `scheduled`: `pending` (down) until the first result; a first failure
///   keeps it down with that reason, `successThreshold` successes bring it up;
///   an up check goes down after `failureThreshold` consecutive failures; no
///   result for `staleAfter` → down at once with reason `stale`.
/// - `simulated`: follows its flag at once, no thresholds, never stale.
/// - `heartbeat`: up from the start, stale when beats stop for its timeout.
struct CheckState: Sendable {
    let config: CheckConfig
    let policy: CheckPolicy
    private(set) var snapshot: CheckSnapshot
    /// Monotonic time of the latest result (or of creation), for staleness.
    private(set) var lastResultUptime: Duration

    init(_ config: CheckConfig, now: MonitorTime) {
        self.config = config
        self.policy = config.kind.definition.policy(config)
        self.lastResultUptime = now.uptime
        let base = CheckSnapshot(name: config.name, kind: config.kind.name, probes: config.probes, critical: config.critical, isUp: false)
        var snapshot = base
        switch policy {
        case .scheduled:
            snapshot.reason = .pending
            snapshot.output = "no result yet"
        case .simulated(let detail, let startFailing):
            // A simulated flag's state is known at once: no pending period.
            snapshot.isUp = !startFailing
            if startFailing {
                snapshot.reason = .simulated
                snapshot.output = detail ?? "simulated failure"
                snapshot.consecutiveFailures = 1
            } else {
                snapshot.lastSuccess = now.wall
                snapshot.consecutiveSuccesses = 1
            }
        case .heartbeat:
            snapshot.isUp = true
            snapshot.lastSuccess = now.wall
            snapshot.lastResult = now.wall
            snapshot.consecutiveSuccesses = 1
        }
        self.snapshot = snapshot
    }

    var name: String { config.name }

    /// Results of this check come from runs (the scheduler's, or a library's own).
    var takesRunResults: Bool {
        if case .scheduled = policy { return true }
        return false
    }

    var isHeartbeat: Bool {
        if case .heartbeat = policy { return true }
        return false
    }

    /// The failure detail of a simulated check; nil for other kinds.
    var simulatedDetail: String?? {
        if case .simulated(let detail, _) = policy { return .some(detail) }
        return nil
    }

    private var staleAfter: Duration? {
        switch policy {
        case .scheduled(_, _, let staleAfter): return staleAfter
        case .heartbeat(let timeout): return timeout
        case .simulated: return nil
        }
    }

    private var thresholds: (failure: Int, success: Int) {
        if case .scheduled(let failure, let success, _) = policy { return (failure, success) }
        return (1, 1)
    }

    /// Applies one plain pass or failure.
    mutating func record(_ outcome: Result<Void, CheckFailure>, duration: Duration, now: MonitorTime) {
        record(CheckRunResult(outcome), duration: duration, now: now)
    }

    /// Applies one result (a run, or a heartbeat beat).
    mutating func record(_ result: CheckRunResult, duration: Duration, now: MonitorTime) {
        var check = snapshot
        check.lastDuration = duration
        check.lastResult = now.wall
        lastResultUptime = now.uptime
        if let notAfter = result.certificateNotAfter { check.certificateNotAfter = notAfter }
        switch result.verdict {
        case .pass, .warn:
            check.consecutiveSuccesses += 1
            check.consecutiveFailures = 0
            check.lastSuccess = now.wall
            if check.isUp || check.consecutiveSuccesses >= thresholds.success {
                check.isUp = true
                if case .warn(let warning) = result.verdict {
                    check.isDegraded = true
                    check.reason = warning.reason
                    check.output = warning.message
                } else {
                    check.isDegraded = false
                    check.reason = nil
                    check.output = nil
                }
            }
        case .fail(let failure):
            check.consecutiveFailures += 1
            check.consecutiveSuccesses = 0
            check.reason = failure.reason
            check.output = failure.message
            // The warning was the previous run's finding; this run found worse.
            check.isDegraded = false
            if check.isUp, check.consecutiveFailures >= thresholds.failure {
                check.isUp = false
            }
        }
        snapshot = check
    }

    /// Whether the latest result is too old at `now` and the check is not yet marked stale.
    func isStale(at now: MonitorTime) -> Bool {
        guard let staleAfter else { return false }
        return now.uptime - lastResultUptime > staleAfter && snapshot.reason != .stale
    }

    /// Marks the check down with reason `stale`.
    mutating func markStale(now: MonitorTime) {
        guard let staleAfter else { return }
        snapshot.isUp = false
        snapshot.isDegraded = false
        snapshot.reason = .stale
        snapshot.output = "no result for \(Self.seconds(now.uptime - lastResultUptime)) (stale after \(Self.seconds(staleAfter)))"
        snapshot.consecutiveSuccesses = 0
    }

    /// Flips a simulated check's flag; effective at once (a drill's point is the flip itself).
    mutating func setFlag(failing: Bool, detail: String?, now: WallClockTimestamp) {
        var check = snapshot
        if failing {
            check.isUp = false
            check.reason = .simulated
            check.output = detail ?? "simulated failure"
            check.consecutiveFailures += 1
            check.consecutiveSuccesses = 0
        } else {
            check.isUp = true
            check.reason = nil
            check.output = nil
            check.lastSuccess = now
            check.consecutiveFailures = 0
            check.consecutiveSuccesses += 1
        }
        check.lastResult = now
        snapshot = check
    }

    private static func seconds(_ duration: Duration) -> String {
        ConfigValueParsers.format(.seconds(duration.components.seconds))
    }
}
