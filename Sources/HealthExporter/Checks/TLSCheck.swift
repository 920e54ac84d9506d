import NIOCore
import NIOPosix
import Telemetry

/// Completes a TLS handshake with `address` and judges the leaf
/// certificate's notAfter (``CertificateExpiryPolicy``): passes, warns
/// `expiring`, or fails `expired` or `tls`. Every run reports the notAfter,
/// which becomes `health_check_tls_cert_expiry_timestamp_seconds`.
public struct TLSCheck: HealthCheck {
    public let options: CheckKind.TLSOptions
    let timeout: Duration
    let handshake: TLSHandshake
    let group: any EventLoopGroup

    public init(options: CheckKind.TLSOptions, timeout: Duration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.options = options
        self.timeout = timeout
        self.handshake = try TLSHandshake(settings: options.tls)
        self.group = group
    }

    public func run() async throws {
        try await run(report: CheckRunReport())
    }

    public func run(report: CheckRunReport) async throws {
        guard let leaf = try await handshake.leafCertificate(of: options.address, timeout: timeout, report: report, group: group) else {
            throw CheckFailure(.protocol, "TLS \(options.address): no certificate presented")
        }
        try options.expiry.judge(notAfter: leaf.notAfter, now: .now(), target: "TLS \(options.address)")
    }
}
