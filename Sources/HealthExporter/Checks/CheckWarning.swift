/// A run that passed but found something to act on soon (a certificate near
/// its end): the check stays up, so probes keep answering 200 even for a
/// critical check, and it reports `warn` with this reason and message.
///
/// Throw it from ``HealthCheck/run()`` instead of returning.
public struct CheckWarning: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable code, shown in bodies, logs and the `reason` label.
    public let reason: FailureReason
    /// What was found, for people: "certificate of 127.0.0.1:8443 expires in 5 days".
    public let message: String

    public init(_ reason: FailureReason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(reason): \(message)" }
}
