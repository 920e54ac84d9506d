/// Why a check or a probe fails, from a small fixed vocabulary.
///
/// The same word appears in the probe body, the log entry and the
/// `reason` metric label, so it must stay bounded: new reasons are added here,
/// never built from error text.
public struct FailureReason: Sendable, Hashable, CustomStringConvertible {
    /// The word itself, e.g. `timeout`.
    public let rawValue: String

    private init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// No result yet: the check has not completed its first run.
    public static let pending = FailureReason("pending")
    /// The last result is older than a few intervals.
    public static let stale = FailureReason("stale")
    /// The run exceeded its timeout.
    public static let timeout = FailureReason("timeout")
    /// The connection was refused.
    public static let refused = FailureReason("refused")
    /// The name did not resolve.
    public static let dns = FailureReason("dns")
    /// The TLS handshake or certificate failed.
    public static let tls = FailureReason("tls")
    /// The peer's certificate ends within the warning window (a `warn`, not a failure).
    public static let expiring = FailureReason("expiring")
    /// The peer's certificate has expired (or ends within the failure window).
    public static let expired = FailureReason("expired")
    /// An unexpected HTTP status.
    public static let status = FailureReason("status")
    /// The response body lacked the expected text.
    public static let body = FailureReason("body")
    /// The query failed.
    public static let query = FailureReason("query")
    /// Authentication was rejected.
    public static let auth = FailureReason("auth")
    /// The peer spoke something unexpected.
    public static let `protocol` = FailureReason("protocol")
    /// A check was failed on purpose through the admin routes.
    public static let simulated = FailureReason("simulated")
    /// Readiness is off for planned maintenance.
    public static let maintenance = FailureReason("maintenance")
    /// The service is shutting down.
    public static let draining = FailureReason("draining")
    /// Anything else; the log says more.
    public static let error = FailureReason("error")

    /// Every reason, for metric pre-registration and documentation.
    public static let all: [FailureReason] = [
        .pending, .stale, .timeout, .refused, .dns, .tls, .expiring, .expired, .status, .body, .query, .auth,
        .protocol, .simulated, .maintenance, .draining, .error,
    ]

    public var description: String { rawValue }
}
