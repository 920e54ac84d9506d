/// Why one check run failed: a reason from the bounded vocabulary (the
/// error's stable code) and a short message that names the dependency.
///
/// Messages are built by the checks from values they know to be safe:
/// passwords, tokens and URL userinfo never reach them: configuration
/// refuses URLs that carry them, and ``Secret`` never prints its value.
public struct CheckFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable code, shown in bodies, logs and the `reason` label.
    public let reason: FailureReason
    /// What happened, for people: "connect to 127.0.0.1:6379 refused".
    public let message: String

    public init(_ reason: FailureReason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(reason): \(message)" }
}
