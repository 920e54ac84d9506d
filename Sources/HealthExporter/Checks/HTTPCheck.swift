import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOSSL
import Telemetry

/// Passes when the request (`method url`, with the configured headers and
/// body) answers a status in `expectStatus`, and its body meets
/// `bodyContains` and `bodyJSONPath`/`bodyEquals` when set. Uses the HTTP
/// client all http checks share (made by ``CheckFactory``), with the check's
/// own TLS settings (trusted CA, client certificate) per request.
///
/// For `https` it also reads the server's leaf certificate with a handshake
/// of its own, at the first run and then hourly (the client library does not
/// show it), and reports its notAfter; a handshake refused because that
/// certificate has expired fails `expired`. Warning before expiry is the
/// `tls` kind's job.
public struct HTTPCheck: HealthCheck {
    public let options: CheckKind.HTTPOptions
    let timeout: Duration
    let client: HTTPClient
    private let requestTLS: TLSConfiguration?
    private let certificates: CertificateWatch?

    public init(options: CheckKind.HTTPOptions, timeout: Duration, client: HTTPClient) throws {
        self.options = options
        self.timeout = timeout
        self.client = client
        self.requestTLS = options.tls == TLSClientSettings() ? nil : options.tls.configuration
        let components = URLComponents(string: options.url)
        if components?.scheme?.lowercased() == "https", let host = components?.host {
            let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            let address = HostPort(host: bare, port: components?.port ?? 443)
            certificates = CertificateWatch(address: address, handshake: try TLSHandshake(settings: options.tls))
        } else {
            certificates = nil
        }
    }

    public func run() async throws {
        try await run(report: CheckRunReport())
    }

    public func run(report: CheckRunReport) async throws {
        let target = "\(options.method.rawValue) \(Self.displayURL(options.url))"
        let notAfter = await certificates?.notAfter(timeout: timeout, report: report)
        var request = HTTPClientRequest(url: options.url)
        request.method = HTTPMethod(rawValue: options.method.rawValue)
        request.headers.add(name: "User-Agent", value: "health-exporter/\(HealthExporterVersion.current)")
        for header in options.headers {
            request.headers.replaceOrAdd(name: header.name, value: header.value.reveal())
        }
        if let body = options.body {
            request.body = .bytes(ByteBuffer(string: body))
        }
        request.tlsConfiguration = requestTLS
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: TimeAmount(timeout))
        } catch {
            throw Self.classify(error, target: target, notAfter: notAfter)
        }
        let code = Int(response.status.code)
        guard options.expectStatus.contains(code) else {
            throw CheckFailure(.status, "\(target) answered \(code), expected \(options.expectStatus.lowerBound)-\(options.expectStatus.upperBound)")
        }
        if options.bodyContains != nil || options.bodyJSON != nil {
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: 1 << 20)
            } catch {
                throw Self.classify(error, target: target, notAfter: notAfter)
            }
            if let needle = options.bodyContains, !String(buffer: body).contains(needle) {
                throw CheckFailure(.body, "\(target) answered \(code) without the expected text")
            }
            if let expectation = options.bodyJSON {
                let found = expectation.value(in: Array(buffer: body))
                guard found == expectation.equals else {
                    // The found value is the server's health word, not a secret; kept short.
                    let shown = found.map { JSONText.quoted(String($0.prefix(40))) } ?? "nothing"
                    throw CheckFailure(.body, "\(target): \(expectation.path) is \(shown), expected \(JSONText.quoted(expectation.equals))")
                }
            }
        }
    }

    /// Scheme, host and path only: a query string may carry a token.
    static func displayURL(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" })
    }

    static func classify(_ error: any Error, target: String, notAfter: WallClockTimestamp? = nil) -> CheckFailure {
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout:
                return CheckFailure(.timeout, "\(target): timed out")
            case .remoteConnectionClosed, .bodyLengthMismatch:
                return CheckFailure(.protocol, "\(target): \(clientError)")
            default:
                break
            }
        }
        return TLSHandshake.failure(error, notAfter: notAfter, target: target) ?? CheckFailure.classify(error, target: target)
    }
}

/// The certificate an https check's server presents, read by a handshake of
/// its own at most once per `refresh`; the last one read is kept between reads.
final class CertificateWatch: Sendable {
    let address: HostPort
    let handshake: TLSHandshake
    let refresh: Duration
    private struct State {
        var readAt: ContinuousClock.Instant?
        var notAfter: WallClockTimestamp?
    }
    private let state = NIOLockedValueBox(State())

    init(address: HostPort, handshake: TLSHandshake, refresh: Duration = .seconds(3600)) {
        self.address = address
        self.handshake = handshake
        self.refresh = refresh
    }

    /// The leaf's notAfter, read again when due; reported into `report`.
    func notAfter(timeout: Duration, report: CheckRunReport) async -> WallClockTimestamp? {
        let now = ContinuousClock.now
        let due = state.withLockedValue { state in state.readAt.map { now - $0 >= refresh } ?? true }
        if due {
            let read = CheckRunReport()
            // A failed handshake is not this check's verdict: the request that follows gives it.
            _ = try? await handshake.leafCertificate(of: address, timeout: timeout, report: read)
            if let notAfter = read.certificateNotAfter {
                state.withLockedValue { $0 = State(readAt: now, notAfter: notAfter) }
            }
        }
        let notAfter = state.withLockedValue { $0.notAfter }
        if let notAfter { report.certificateExpires(at: notAfter) }
        return notAfter
    }
}
