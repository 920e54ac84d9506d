import NIOConcurrencyHelpers
import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import NIOSSL
import Telemetry

/// Passes when a dependency's `grpc.health.v1.Health/Check` answers SERVING
/// for the configured service.
///
/// One unary call over HTTP/2 (h2c, or TLS with ALPN `h2`) on a short-lived
/// connection, spoken with SwiftNIO HTTP/2 directly: the request and the
/// answer are one protobuf field each, and this keeps gRPC's own libraries
/// out of the core. Reasons: `refused`, `timeout`, `status` (NOT_SERVING,
/// SERVICE_UNKNOWN, or a service the server does not know), `protocol`
/// (no health service, or not gRPC), `tls`/`expired`.
public struct GRPCCheck: HealthCheck {
    public let options: CheckKind.GRPCOptions
    let timeout: Duration
    let group: any EventLoopGroup
    private let tlsContext: NIOSSLContext?
    private let inspection: TLSHandshake?

    public init(options: CheckKind.GRPCOptions, timeout: Duration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.options = options
        self.timeout = timeout
        self.group = group
        if let settings = options.tls {
            var configuration = settings.configuration
            configuration.applicationProtocols = ["h2"]
            tlsContext = try NIOSSLContext(configuration: configuration)
            inspection = try TLSHandshake(settings: settings)
        } else {
            tlsContext = nil
            inspection = nil
        }
    }

    public func run() async throws {
        try await run(report: CheckRunReport())
    }

    public func run(report: CheckRunReport) async throws {
        let target = "grpc \(options.address)\(options.service.isEmpty ? "" : " \(JSONText.quoted(options.service))")"
        let tlsContext = self.tlsContext
        let sni = options.tls?.sniName(connectingTo: options.address.host)
        let connection: (channel: any Channel, multiplexer: NIOHTTP2Handler.StreamMultiplexer)
        do {
            connection = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(timeout))
                .connect(host: options.address.host, port: options.address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tlsContext {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: sni))
                        }
                        // The server never opens streams towards a client.
                        let multiplexer = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                            mode: .client, connectionConfiguration: .init(), streamConfiguration: .init(),
                            inboundStreamInitializer: { stream in stream.close() })
                        return (channel, multiplexer)
                    }
                }
        } catch {
            throw CheckFailure.classify(error, target: target)
        }
        let channel = connection.channel
        defer { channel.close(promise: nil) }
        let answer = channel.eventLoop.makePromise(of: GRPCUnaryAnswer.self)
        let request = GRPCUnaryRequest(
            authority: "\(options.address)", scheme: tlsContext == nil ? "http" : "https", service: options.service, timeout: timeout)
        do {
            try await withTaskCancellationHandler {
                _ = try await connection.multiplexer.createStreamChannel { stream in
                    stream.eventLoop.makeCompletedFuture {
                        try stream.pipeline.syncOperations.addHandler(GRPCUnaryCallHandler(request: request, promise: answer))
                    }
                }.get()
                let result = try await answer.futureResult.get()
                try Self.judge(result, target: target)
            } onCancel: {
                channel.close(promise: nil)
            }
            if tlsContext != nil, let leaf = try? await channel.pipeline.handler(type: NIOSSLClientHandler.self).map({ $0.peerCertificate }).get() {
                report.certificateExpires(at: leaf.notAfter)
            }
        } catch {
            answer.fail(error)
            // Verification failed: read the leaf unverified, to tell expired from tls.
            let leaf = TLSHandshake.isTLSError(error) ? await inspection?.inspect(options.address, timeout: timeout, group: group) : nil
            if let leaf { report.certificateExpires(at: leaf.notAfter) }
            // Connected, then HTTP/2 broke or the peer hung up: whatever listens there is not a gRPC server.
            if error is any NIOHTTP2Error || error is ChannelError {
                throw CheckFailure(.protocol, "\(target): not an HTTP/2 gRPC server (\(type(of: error)))")
            }
            throw TLSHandshake.classify(error, leaf: leaf, target: target)
        }
    }

    static func judge(_ answer: GRPCUnaryAnswer, target: String) throws {
        guard answer.httpStatus == 200 else {
            throw CheckFailure(.protocol, "\(target): HTTP status \(answer.httpStatus.map(String.init) ?? "missing"), not a gRPC answer")
        }
        let detail = answer.grpcMessage.map { ": \(String($0.prefix(80)))" } ?? ""
        switch answer.grpcStatus {
        case 0?:
            break
        case 5?:
            throw CheckFailure(.status, "\(target): the server knows no such service (NOT_FOUND)")
        case 12?:
            throw CheckFailure(.protocol, "\(target): the server has no grpc.health.v1 service (UNIMPLEMENTED)")
        case 4?:
            throw CheckFailure(.timeout, "\(target): DEADLINE_EXCEEDED\(detail)")
        case 7?, 16?:
            throw CheckFailure(.auth, "\(target): \(answer.grpcStatus == 7 ? "PERMISSION_DENIED" : "UNAUTHENTICATED")\(detail)")
        case let code?:
            throw CheckFailure(.protocol, "\(target): gRPC status \(code)\(detail)")
        case nil:
            throw CheckFailure(.protocol, "\(target): the answer has no grpc-status")
        }
        guard let message = answer.message else {
            throw CheckFailure(.protocol, "\(target): OK without a HealthCheckResponse")
        }
        guard let status = GRPCUnaryAnswer.servingStatus(in: message) else {
            throw CheckFailure(.protocol, "\(target): the HealthCheckResponse is not valid protobuf")
        }
        switch status {
        case 1: return
        case 2: throw CheckFailure(.status, "\(target): NOT_SERVING")
        case 3: throw CheckFailure(.status, "\(target): SERVICE_UNKNOWN")
        default: throw CheckFailure(.status, "\(target): status \(status == 0 ? "UNKNOWN" : String(status))")
        }
    }
}
