/// How the monitor judges a check's results, decided by its kind.
enum CheckPolicy: Sendable, Equatable {
    /// Runs on a schedule: `pending` until the first result, thresholds on
    /// consecutive results, down with reason `stale` when results stop coming.
    case scheduled(failureThreshold: Int, successThreshold: Int, staleAfter: Duration)
    /// A flag flipped by the admin routes: known at once, no thresholds, never stale.
    case simulated(detail: String?, startFailing: Bool)
    /// The scheduler's own heartbeat: up from the start, stale after `timeout` without a beat.
    case heartbeat(timeout: Duration)
}
