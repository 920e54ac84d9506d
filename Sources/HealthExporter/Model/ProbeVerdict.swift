/// A probe's answer, computed from a snapshot: what `/livez`, `/readyz` and
/// `/startupz` render.
public struct ProbeVerdict: Sendable, Equatable {
    /// The probe answered.
    public let probe: Probe
    /// `pass` or `warn` answer 200; `fail` answers 503.
    public let status: CheckStatus
    /// A probe-wide reason that overrides the checks (`maintenance`, `draining`).
    public let reason: FailureReason?
    /// The checks taken into account, in configuration order.
    public let checks: [CheckSnapshot]
    /// Known checks left out by `?exclude=`.
    public let excluded: [String]
    /// `?exclude=` names that match no check of this probe.
    public let unknownExclusions: [String]

    public init(
        probe: Probe,
        status: CheckStatus,
        reason: FailureReason? = nil,
        checks: [CheckSnapshot],
        excluded: [String] = [],
        unknownExclusions: [String] = []
    ) {
        self.probe = probe
        self.status = status
        self.reason = reason
        self.checks = checks
        self.excluded = excluded
        self.unknownExclusions = unknownExclusions
    }
}
