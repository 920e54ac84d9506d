/// A change worth one log entry (and, later, one systemd STATUS line).
public enum HealthEvent: Sendable, Equatable {
    /// A check went down after its failure threshold.
    case checkDown(CheckSnapshot)
    /// A check came back up after its success threshold.
    case checkUp(CheckSnapshot)
    /// An up check began passing with a warning (a certificate near its end),
    /// or its warning's reason changed.
    case checkWarning(CheckSnapshot)
    /// A probe's answer changed between healthy (200) and unhealthy (503).
    case probeChanged(ProbeVerdict)
    /// A check's latest result became too old (counted once per going stale).
    case checkStale(CheckSnapshot)
    /// Maintenance mode was switched on or off.
    case maintenanceChanged(on: Bool)
}
