import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The HTTP server for probes, the status page and the admin routes, as a
/// swift-service-lifecycle `Service`.
///
/// `run()` binds, serves until graceful shutdown, then quiesces: the listener
/// closes, idle connections close at once and busy ones after their current
/// answer. Answers come from the ``HealthMonitor``'s latest snapshot, on the
/// connection's event loop, with no task hop.
public final class ProbeServer: Service, Sendable {
    /// What the server needs from the configuration.
    public struct Configuration: Sendable {
        public var listen: ListenAddress
        /// What `GET /` answers.
        public var root: HealthExporterConfig.Root
        public var limits: HealthExporterConfig.Limits
        public var admin: HealthExporterConfig.Admin
        public var details: HealthExporterConfig.Expose.Details
        /// Counts probe requests and serves `/metrics`, when given.
        public var metrics: HealthMetrics?
        /// An already listening socket to serve on instead of binding `listen`
        /// (systemd socket activation, Telemetry's `SocketActivation.inheritedListener()`).
        public var inheritedListener: CInt?

        public init(
            listen: ListenAddress,
            root: HealthExporterConfig.Root = .statusz,
            limits: HealthExporterConfig.Limits = .init(),
            admin: HealthExporterConfig.Admin = .init(),
            details: HealthExporterConfig.Expose.Details = .loopback,
            metrics: HealthMetrics? = nil
        ) {
            self.listen = listen
            self.root = root
            self.limits = limits
            self.admin = admin
            self.details = details
            self.metrics = metrics
        }

        /// The server's part of a whole configuration.
        public init(_ config: HealthExporterConfig, metrics: HealthMetrics? = nil) {
            self.init(listen: config.listen, root: config.root, limits: config.limits, admin: config.admin, details: config.expose.details, metrics: metrics)
        }
    }

    private let configuration: Configuration
    private let dependencies: ProbeHTTPHandler.Dependencies
    private let group: any EventLoopGroup
    private let onListening: @Sendable (SocketAddress) -> Void

    /// Creates a server; nothing is bound until ``run()``.
    /// - Parameters:
    ///   - configuration: Address, limits, admin access and detail exposure.
    ///   - monitor: The source of every answer.
    ///   - logger: For the listening line, and per-request lines at debug level.
    ///   - eventLoopGroup: Where connections live; NIO's shared group by default.
    ///   - onListening: Called with the bound address (the real port when `listen` asks for 0).
    public init(
        configuration: Configuration,
        monitor: HealthMonitor,
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (SocketAddress) -> Void = { _ in }
    ) {
        self.configuration = configuration
        let router = ProbeRouter(
            monitor: monitor,
            root: configuration.root,
            admin: configuration.admin,
            details: configuration.details,
            version: HealthExporterVersion.current,
            metrics: configuration.metrics?.registry,
            refusalLogger: logger
        )
        self.dependencies = ProbeHTTPHandler.Dependencies(
            router: router,
            answers: AnswerStore(renderer: router.answers, monitor: monitor),
            limits: configuration.limits,
            logger: logger,
            metrics: configuration.metrics
        )
        self.group = eventLoopGroup
        self.onListening = onListening
    }

    public func run() async throws {
        let quiesce = ServerQuiescingHelper(group: group)
        let connections = ConnectionTable(capacity: configuration.limits.maxConnections)
        let dependencies = self.dependencies
        let limits = configuration.limits
        let logger = dependencies.logger

        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                }
            }
            // TCP level: at the socket level this number is SO_DEBUG, which fails without CAP_NET_ADMIN.
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                let (record, evicted) = connections.admit(channel, now: NIODeadline.now().uptimeNanoseconds)
                if let evicted {
                    logger.debug(
                        "connection evicted: at maxConnections, it had made the least progress",
                        metadata: ["maxConnections": "\(limits.maxConnections)", "peer": "\(evicted.channel.remoteAddress?.ipAddress ?? "unknown")"])
                    evicted.channel.close(promise: nil)
                }
                channel.closeFuture.whenComplete { _ in
                    connections.remove(record)
                }
                return channel.eventLoop.makeCompletedFuture {
                    try Self.addConnectionHandlers(to: channel.pipeline.syncOperations, dependencies: dependencies, record: record)
                }
            }
        let channel: any Channel
        do {
            if let inherited = configuration.inheritedListener {
                channel = try await bootstrap.withBoundSocket(inherited).get()
            } else {
                channel = try await bootstrap.bind(host: configuration.listen.host, port: configuration.listen.port).get()
            }
        } catch {
            let source = configuration.inheritedListener.map { "the socket systemd passed (fd \($0))" } ?? "\(configuration.listen)"
            throw ProbeServerError(message: "cannot listen on \(source): \(error)")
        }

        guard let address = channel.localAddress else {
            try? await channel.close()
            throw ProbeServerError(message: "the listening socket has no local address")
        }
        logger.info(
            "listening",
            metadata: ["address": "\(Self.describe(address))", "socket": "\(configuration.inheritedListener == nil ? "bound" : "systemd")"])
        onListening(address)

        // Slow heads and bodies are found by one sweep, not a timer per
        // request: a timer costs allocations on every probe answered.
        let sweep = channel.eventLoop.scheduleRepeatedTask(initialDelay: Self.sweepInterval(limits), delay: Self.sweepInterval(limits)) { _ in
            let expired = connections.expired(
                now: NIODeadline.now().uptimeNanoseconds, headerTimeout: limits.headerTimeout, bodyTimeout: limits.bodyTimeout)
            for (record, event) in expired {
                record.channel.pipeline.fireUserInboundEventTriggered(event)
            }
        }
        defer { sweep.cancel() }

        let shutdownRequested = NIOLockedValueBox(false)
        let allClosed = channel.eventLoop.makePromise(of: Void.self)
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await channel.closeFuture.get()
            if shutdownRequested.withLockedValue({ $0 }) {
                try await allClosed.futureResult.get()
            } else {
                allClosed.succeed()
            }
        } onCancelOrGracefulShutdown: {
            let first = shutdownRequested.withLockedValue { requested in
                defer { requested = true }
                return !requested
            }
            if first {
                logger.info("server quiescing: closing listener, finishing in-flight answers")
                quiesce.initiateShutdown(promise: allClosed)
            }
        }
        logger.info("server stopped")
    }

    /// One connection's pipeline, the same for the server, its tests and the
    /// fuzzer: idle timer, request-start stamp, HTTP/1.1 decoder, handler.
    static func addConnectionHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations,
        dependencies: ProbeHTTPHandler.Dependencies,
        record: ConnectionRecord?
    ) throws {
        // Read-idle only: a write-idle timer wraps every answer in a promise (two
        // allocations per request), and a request is what makes a connection busy.
        try pipeline.addHandler(IdleStateHandler(readTimeout: TimeAmount(dependencies.limits.idleTimeout)))
        if let record {
            try pipeline.addHandler(RequestStartObserver(record: record))
        }
        try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
        try pipeline.addHandler(ProbeHTTPHandler(dependencies: dependencies, record: record))
    }

    /// How often slow requests are looked for: a quarter of the shorter
    /// deadline, between 10 ms and 1 s, so a 408 comes at most that late.
    static func sweepInterval(_ limits: HealthExporterConfig.Limits) -> TimeAmount {
        let quarter = min(limits.headerTimeout, limits.bodyTimeout) / 4
        return TimeAmount(min(max(quarter, .milliseconds(10)), .seconds(1)))
    }

    static func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}

extension ProbeServer: CustomStringConvertible {
    /// The name ServiceLifecycle logs it under (a plain string: describing
    /// the instance by reflection costs start-up time).
    public var description: String { "probe server" }
}
