import Telemetry

/// One check's state at the moment a ``HealthSnapshot`` was taken.
public struct CheckSnapshot: Sendable, Equatable {
    /// The check's configured name.
    public let name: String
    /// The check's kind (`simulated`, …).
    public let kind: String
    /// The probes this check takes part in.
    public let probes: Set<Probe>
    /// `false`: a down check reports `warn` and leaves the probe passing.
    public let critical: Bool
    /// Up or down after thresholds.
    public var isUp: Bool
    /// Up, but its latest run passed with a ``CheckWarning``: reported as `warn`.
    public var isDegraded: Bool = false
    /// Why the check is down or degraded, or why its latest run failed while still within threshold.
    public var reason: FailureReason?
    /// A short, redacted human explanation of the latest failure.
    public var output: String?
    /// How long the latest run took.
    public var lastDuration: Duration?
    /// When the check last succeeded.
    public var lastSuccess: WallClockTimestamp?
    /// When the latest result arrived (success or failure).
    public var lastResult: WallClockTimestamp?
    /// Failed runs since the last success.
    public var consecutiveFailures: Int
    /// Successful runs since the last failure.
    public var consecutiveSuccesses: Int
    /// The notAfter of the TLS leaf certificate the latest handshake was
    /// shown; kept when a later run does not get that far.
    public var certificateNotAfter: WallClockTimestamp?

    public init(
        name: String,
        kind: String,
        probes: Set<Probe>,
        critical: Bool,
        isUp: Bool,
        reason: FailureReason? = nil,
        output: String? = nil,
        lastDuration: Duration? = nil,
        lastSuccess: WallClockTimestamp? = nil,
        lastResult: WallClockTimestamp? = nil,
        consecutiveFailures: Int = 0,
        consecutiveSuccesses: Int = 0
    ) {
        self.name = name
        self.kind = kind
        self.probes = probes
        self.critical = critical
        self.isUp = isUp
        self.reason = reason
        self.output = output
        self.lastDuration = lastDuration
        self.lastSuccess = lastSuccess
        self.lastResult = lastResult
        self.consecutiveFailures = consecutiveFailures
        self.consecutiveSuccesses = consecutiveSuccesses
    }

    /// Whether every probe verdict treats this check as it treats `other`:
    /// the same name, probes and status.
    func judgedAlike(_ other: CheckSnapshot) -> Bool {
        name == other.name && probes == other.probes && status == other.status
    }

    /// `pass` when up (`warn` when degraded); when down `fail`, or `warn`
    /// for a non-critical check.
    public var status: CheckStatus {
        isUp ? (isDegraded ? .warn : .pass) : (critical ? .fail : .warn)
    }
}
