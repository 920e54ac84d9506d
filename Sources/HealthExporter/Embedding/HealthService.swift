import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Telemetry

/// Health checks for your own Swift service, in one call: the monitor, the
/// background scheduler, the metrics and (optionally) the probe server on a
/// management port, run as one swift-service-lifecycle `Service`.
///
/// ```swift
/// let health = try HealthService(
///     checks: [.init("cache", probes: [.readiness, .startup], interval: .seconds(1)) { try await cache.ping() }],
///     listen: ListenAddress(host: "127.0.0.1", port: 9090),
///     logger: logger)
/// try await ServiceGroup(services: [health, myService], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
///
/// On graceful shutdown readiness fails at once (reason `draining`) and the
/// probes keep answering for `configuration.drain.delay`, then the server
/// closes. The pieces it is made of (``HealthMonitor``, ``CheckScheduler``,
/// ``ProbeServer``, ``HealthMetrics``) stay public for those who wire them differently.
public final class HealthService: Service, Sendable {
    /// One check defined in code.
    public struct Check: Sendable {
        public var config: CheckConfig
        public var check: any HealthCheck

        /// A check from a closure: return to pass, throw (``CheckFailure`` for a reason) to fail.
        public init(
            _ name: String,
            probes: Set<Probe> = [.readiness],
            interval: Duration = .seconds(10),
            timeout: Duration = .seconds(2),
            failureThreshold: Int = 3,
            successThreshold: Int = 1,
            critical: Bool = true,
            _ body: @escaping @Sendable () async throws -> Void
        ) {
            self.init(
                name, probes: probes, interval: interval, timeout: timeout, failureThreshold: failureThreshold,
                successThreshold: successThreshold, critical: critical, check: ClosureHealthCheck(body))
        }

        /// A check from any ``HealthCheck``.
        public init(
            _ name: String,
            probes: Set<Probe> = [.readiness],
            interval: Duration = .seconds(10),
            timeout: Duration = .seconds(2),
            failureThreshold: Int = 3,
            successThreshold: Int = 1,
            critical: Bool = true,
            check: some HealthCheck
        ) {
            self.config = CheckConfig(
                name: name, kind: .custom, probes: probes, interval: interval, timeout: timeout,
                failureThreshold: failureThreshold, successThreshold: successThreshold, critical: critical)
            self.check = check
        }
    }

    /// The live state every answer comes from.
    public let monitor: HealthMonitor
    /// The health families (and the process's); put your own metrics here too,
    /// or bootstrap swift-metrics with `SwiftMetricsFactory(registry: registry)`.
    public let registry: MetricsRegistry
    public let metrics: HealthMetrics
    /// Every check, configured and in code, in the order probes report them.
    public let checks: [CheckConfig]

    private let services: [any Service]
    private let router: ProbeRouter
    private let logger: Logger

    /// - Parameters:
    ///   - checks: Checks defined in code.
    ///   - configuration: Checks of the built-in kinds (postgres, redis, http, …)
    ///     and the server's limits, admin, detail exposure and drain; its
    ///     `listen` is used only when `listen` below is nil and `serveProbes` is true.
    ///   - listen: The management port for probes and `/metrics`; nil serves
    ///     nothing (mount the answers on your own server instead).
    ///   - registry: Where metrics are registered (a new one by default).
    ///   - onListening: Called with the bound address (the real port when asked for 0).
    /// - Throws: ``HealthServiceError`` for an invalid or duplicate check name,
    ///   or metrics that clash with ones already in `registry`.
    public init(
        checks: [Check],
        configuration: HealthExporterConfig = HealthExporterConfig(),
        listen: ListenAddress? = nil,
        registry: MetricsRegistry = MetricsRegistry(),
        logger: Logger,
        onListening: @escaping @Sendable (SocketAddress) -> Void = { _ in }
    ) throws(HealthServiceError) {
        var seen = Set(configuration.checks.map(\.name))
        for check in checks {
            guard CheckConfig.isValidName(check.config.name), !CheckKinds.reservedNames.contains(check.config.name) else {
                throw HealthServiceError(
                    code: .invalidName, message: "check name \(JSONText.quoted(check.config.name)) must match [a-z0-9][a-z0-9_.-]* and not be \"scheduler\"")
            }
            guard seen.insert(check.config.name).inserted else {
                throw HealthServiceError(code: .duplicateName, message: "check name \(JSONText.quoted(check.config.name)) is used twice")
            }
        }
        let all = configuration.checks + checks.map(\.config)
        let metrics: HealthMetrics
        do {
            try ProcessMetrics.register(in: registry)
            metrics = try HealthMetrics(registry: registry, checks: all)
        } catch {
            throw HealthServiceError(code: .metrics, message: "cannot register the health metrics: \(error)")
        }
        let monitor = HealthMonitor(checks: all, logger: logger, metrics: metrics, heartbeatTimeout: .seconds(5))
        let factory = CheckFactory(configs: configuration.checks, logger: logger)
        let clock = ContinuousClock()
        let scheduler = CheckScheduler(
            checks: factory.checks + checks.map { (config: $0.config, check: $0.check) }, monitor: monitor, clock: clock, logger: logger)
        var services: [any Service] = [factory, scheduler]
        if let listen {
            var server = ProbeServer.Configuration(configuration, metrics: metrics)
            server.listen = listen
            services.append(ProbeServer(configuration: server, monitor: monitor, logger: logger, onListening: onListening))
        }
        services.append(ShutdownDrain(monitor: monitor, lifecycle: nil, delay: configuration.drain.delay, clock: clock, logger: logger))
        self.monitor = monitor
        self.registry = registry
        self.metrics = metrics
        self.checks = all
        self.services = services
        self.router = ProbeRouter(
            monitor: monitor, root: configuration.root, admin: configuration.admin, details: configuration.expose.details,
            version: HealthExporterVersion.current, metrics: registry)
        self.logger = logger
    }

    /// What the standalone server answers to `head` from `peer`, for mounting the
    /// probes on your own HTTP server (the Hummingbird and Vapor adapters do):
    /// the same status, content type and bytes for the same snapshot, and
    /// counted in `health_probe_requests_total` the same way. Serve `GET` and
    /// `HEAD` of `/livez`, `/readyz`, `/startupz` (with `?verbose`,
    /// `?exclude=`, `/NAME`) and `/metrics`; for `HEAD`, send no body.
    public func answer(to head: HTTPRequestHead, peer: ConnectionPeer) -> HTTPAnswer {
        let start = ContinuousClock.now
        let request = ProbeRequest(head: head, connection: peer)
        let answer = router.answer(request, snapshot: monitor.snapshot)
        if let probe = request.route.probe {
            metrics.recordProbeRequest(probe, code: answer.status.code, duration: ContinuousClock.now - start)
        }
        return answer
    }

    /// Runs the checks (and the server) until graceful shutdown or cancellation.
    public func run() async throws {
        // Started in order, stopped in reverse: the drain first, then the server, then the checks.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [], logger: logger))
        try await group.run()
    }
}

extension HealthService: CustomStringConvertible {
    public var description: String { "health service" }
}

/// Why a ``HealthService`` cannot be built.
public struct HealthServiceError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// A check name outside `[a-z0-9][a-z0-9_.-]*`, or a reserved one.
        public static let invalidName = Code("invalidName")
        /// Two checks share a name.
        public static let duplicateName = Code("duplicateName")
        /// The registry already holds a health family defined differently.
        public static let metrics = Code("metrics")
        public var description: String { name }
    }

    public let code: Code
    public let message: String
    public var description: String { message }
}
