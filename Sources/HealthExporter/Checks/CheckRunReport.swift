import NIOConcurrencyHelpers
import Telemetry

/// What one run learned beside its verdict, filled in by the check while it
/// runs: today the notAfter of the TLS leaf certificate it was shown, which
/// becomes `health_check_tls_cert_expiry_timestamp_seconds{check}`.
///
/// A check that completes TLS handshakes implements
/// ``HealthCheck/run(report:)``; others never see it.
public final class CheckRunReport: Sendable {
    private let certificate = NIOLockedValueBox<WallClockTimestamp?>(nil)

    public init() {}

    /// The leaf certificate's notAfter, as the peer presented it.
    public func certificateExpires(at notAfter: WallClockTimestamp) {
        certificate.withLockedValue { $0 = notAfter }
    }

    /// The notAfter reported during the run, if any.
    public var certificateNotAfter: WallClockTimestamp? {
        certificate.withLockedValue { $0 }
    }
}
