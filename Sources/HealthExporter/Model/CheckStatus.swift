/// The outcome vocabulary of `application/health+json`.
public enum CheckStatus: String, Sendable, Hashable, CustomStringConvertible {
    /// Healthy.
    case pass
    /// A non-critical check is failing: reported, but the probe still answers 200.
    case warn
    /// Unhealthy: the probe answers 503.
    case fail

    /// Whether a probe with this status answers 200.
    public var isHealthy: Bool { self != .fail }

    /// The worse of two statuses (`fail` > `warn` > `pass`).
    public func worst(_ other: CheckStatus) -> CheckStatus {
        severity >= other.severity ? self : other
    }

    public var description: String { rawValue }

    private var severity: Int {
        switch self {
        case .pass: return 0
        case .warn: return 1
        case .fail: return 2
        }
    }
}
