import GRPCCore
import GRPCNIOTransportHTTP2Posix
import HealthExporter
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import Telemetry

/// The `grpc.health.v1` server (`grpc.listen`): plaintext HTTP/2 on its own
/// port, answering from the same snapshots as the HTTP probes.
///
/// Put it next to the ``ProbeServer`` in the service group, before the
/// ``ShutdownDrain``: on SIGTERM the drain turns `""` and `readiness`
/// `NOT_SERVING` at once (watchers hear it), and when the drain delay ends
/// this server ends every `Watch` stream and shuts down gracefully with the
/// HTTP one.
///
/// Hostile peers: requests are capped at ``maxRequestBytes`` (a service name
/// is all a request holds), streams per connection at ``maxStreamsPerConnection``,
/// connections at `grpc.maxConnections` (newcomers beyond are closed), open
/// watches at `grpc.maxWatchers`, and a connection with no RPC for
/// `limits.idleTimeout` is closed.
public final class GRPCHealthServer: Service, Sendable {
    /// The largest request message accepted; a check name is at most a few dozen bytes.
    public static let maxRequestBytes = 1024
    /// Concurrent streams a client may open on one connection.
    public static let maxStreamsPerConnection = 100

    private let configuration: HealthExporterConfig.GRPC
    private let idleTimeout: Duration
    private let watchers: HealthWatchers
    private let service: GRPCHealthService
    private let group: MultiThreadedEventLoopGroup
    private let logger: Logger
    private let onListening: @Sendable (String) -> Void

    /// - Parameters:
    ///   - configuration: `grpc:` from the config.
    ///   - idleTimeout: `limits.idleTimeout`: connections without an RPC for this long are closed.
    ///   - monitor: Whose snapshots are answered; the server subscribes its watchers to it.
    ///   - metrics: Where requests are counted (`health_grpc_requests_total`, `health_grpc_watchers`).
    ///   - group: The event loops to serve on (the probe server's).
    ///   - onListening: Called with the bound `host:port` once listening.
    public init(
        configuration: HealthExporterConfig.GRPC,
        idleTimeout: Duration,
        monitor: HealthMonitor,
        metrics: MetricsRegistry?,
        group: MultiThreadedEventLoopGroup = .singleton,
        logger: Logger,
        onListening: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(RegistryError) {
        let watchers = HealthWatchers(limit: configuration.maxWatchers)
        monitor.subscribe(watchers)
        self.configuration = configuration
        self.idleTimeout = idleTimeout
        self.watchers = watchers
        self.service = GRPCHealthService(watchers: watchers, metrics: try metrics.map { registry throws(RegistryError) in try GRPCHealthMetrics(registry: registry, watchers: watchers) })
        self.group = group
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let address = try Self.transportAddress(configuration.listen)
        let open = NIOLockedValueBox(0)
        let maxConnections = configuration.maxConnections
        let logger = self.logger
        let config = HTTP2ServerTransport.Posix.Config.defaults { config in
            config.rpc.maxRequestPayloadSize = Self.maxRequestBytes
            config.http2.maxConcurrentStreams = Self.maxStreamsPerConnection
            config.connection.maxIdleTime = idleTimeout
            config.channelDebuggingCallbacks.onAcceptTCPConnection = { channel in
                let admitted = open.withLockedValue { count in
                    guard count < maxConnections else { return false }
                    count += 1
                    return true
                }
                guard admitted else {
                    logger.debug("grpc connection refused: at grpc.maxConnections", metadata: ["maxConnections": "\(maxConnections)"])
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in open.withLockedValue { $0 -= 1 } }
                return channel.eventLoop.makeSucceededVoidFuture()
            }
        }
        let transport = HTTP2ServerTransport.Posix(address: address, transportSecurity: .plaintext, config: config, eventLoopGroup: group)
        let server = GRPCServer(transport: transport, services: [service])
        let watchers = self.watchers
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask {
                try await withTaskCancellationOrGracefulShutdownHandler {
                    try await server.serve()
                } onCancelOrGracefulShutdown: {
                    logger.info("grpc server quiescing: ending Watch streams, finishing in-flight calls")
                    watchers.finishAll()
                    server.beginGracefulShutdown()
                }
            }
            let bound: GRPCNIOTransportCore.SocketAddress
            do {
                bound = try await transport.listeningAddress
            } catch {
                throw GRPCHealthServerError(message: "cannot listen for grpc on \(configuration.listen): \(error)")
            }
            let shown = Self.describe(bound)
            logger.info("grpc listening", metadata: ["address": "\(shown)", "service": "grpc.health.v1.Health"])
            onListening(shown)
        }
        logger.info("grpc server stopped")
    }

    /// `host:port` as the transport takes it: IP literals as they are, names resolved once.
    static func transportAddress(_ listen: ListenAddress) throws -> GRPCNIOTransportCore.SocketAddress {
        let resolved: NIOCore.SocketAddress
        do {
            resolved = try NIOCore.SocketAddress.makeAddressResolvingHost(listen.host, port: listen.port)
        } catch {
            throw GRPCHealthServerError(message: "cannot resolve grpc.listen host \"\(listen.host)\": \(error)")
        }
        switch resolved {
        case .v4:
            return .ipv4(host: resolved.ipAddress ?? listen.host, port: listen.port)
        case .v6:
            return .ipv6(host: resolved.ipAddress ?? listen.host, port: listen.port)
        case .unixDomainSocket:
            throw GRPCHealthServerError(message: "grpc.listen \"\(listen)\" is not an IP address and port")
        }
    }

    static func describe(_ address: GRPCNIOTransportCore.SocketAddress) -> String {
        if let v4 = address.ipv4 { return "\(v4.host):\(v4.port)" }
        if let v6 = address.ipv6 { return "[\(v6.host)]:\(v6.port)" }
        return "\(address)"
    }
}

extension GRPCHealthServer: CustomStringConvertible {
    /// The name ServiceLifecycle logs it under.
    public var description: String { "grpc health server" }
}

/// The gRPC server could not start.
public struct GRPCHealthServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
