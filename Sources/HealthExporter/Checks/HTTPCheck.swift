import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL

/// Passes when `GET url` answers a status in `expectStatus` (and its body
/// contains `bodyContains`, when set). TLS certificates are verified unless
/// `tlsVerify: false`. Uses the HTTP client all http checks share (made by ``CheckFactory``).
public struct HTTPCheck: HealthCheck {
    public let options: CheckKind.HTTPOptions
    let timeout: Duration
    let client: HTTPClient

    public init(options: CheckKind.HTTPOptions, timeout: Duration, client: HTTPClient) {
        self.options = options
        self.timeout = timeout
        self.client = client
    }

    public func run() async throws {
        let target = "GET \(Self.displayURL(options.url))"
        var request = HTTPClientRequest(url: options.url)
        request.headers.add(name: "User-Agent", value: "health-exporter/\(HealthExporterVersion.current)")
        if !options.tlsVerify {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            request.tlsConfiguration = tls
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: TimeAmount(timeout))
        } catch {
            throw Self.classify(error, target: target)
        }
        let code = Int(response.status.code)
        guard options.expectStatus.contains(code) else {
            throw CheckFailure(.status, "\(target) answered \(code), expected \(options.expectStatus.lowerBound)-\(options.expectStatus.upperBound)")
        }
        guard let needle = options.bodyContains else { return }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw Self.classify(error, target: target)
        }
        guard String(buffer: body).contains(needle) else {
            throw CheckFailure(.body, "\(target) answered \(code) without the expected text")
        }
    }

    /// Scheme, host and path only: a query string may carry a token.
    static func displayURL(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" })
    }

    static func classify(_ error: any Error, target: String) -> CheckFailure {
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
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return CheckFailure(.tls, "\(target): TLS failed (\(type(of: error)))")
        }
        return CheckFailure.classify(error, target: target)
    }
}
