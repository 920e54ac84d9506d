import ArgumentParser
import HealthExporter
import HealthExporterGRPC
import Logging
import NIOCore
import ServiceLifecycle
import Telemetry
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve probes (the default command)."
    )

    @Option(name: .long, help: ArgumentHelp("YAML configuration file. Without it the built-in demo runs.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Address to listen on, overriding the file's listen: (e.g. 0.0.0.0:8000).", valueName: "host:port"))
    var listen: String?

    @Option(name: .long, help: ArgumentHelp("Log format, overriding log.format: auto (journald when stderr is the journal, else json), journald, json or logfmt.", valueName: "format"))
    var logFormat: LogFormat?

    @Option(name: .long, help: ArgumentHelp("Lowest level logged, overriding log.level: trace, debug, info, notice, warning, error, critical. Probe requests are logged at debug.", valueName: "level"))
    var logLevel: Logger.Level?

    func validate() throws {
        if let listen, ListenAddress(parsing: listen) == nil {
            throw ValidationError("--listen \"\(listen)\" is not host:port (e.g. 127.0.0.1:8000, [::1]:8000)")
        }
    }

    /// The command line's settings over the file's (also on every reload).
    private func overriding(_ file: HealthExporterConfig) -> HealthExporterConfig {
        var settings = file
        if let listen, let address = ListenAddress(parsing: listen) { settings.listen = address }
        if let logFormat { settings.log.format = logFormat }
        if let logLevel { settings.log.level = logLevel }
        return settings
    }

    func run() async throws {
        let settings = overriding(try HealthExporterConfig.fromCommandLine(path: config))
        // Before anything touches NIO's shared group: it is created once, with this many loops.
        NIOSingletons.groupLoopCountSuggestion = settings.limits.ioThreads

        let format = settings.log.format
        let level = settings.log.level
        let environment = ProcessEnvironment.current
        LoggingSystem.bootstrap { label in
            format.makeHandler(label: label, level: level, environment: environment)
        }
        let logger = Logger(label: "health-exporter")
        if let config {
            logger.info("starting", metadata: ["version": "\(HealthExporterVersion.current)", "config": "\(config)", "checks": "\(settings.checks.count)"])
        } else {
            logger.info(
                "no --config given: serving the built-in demo (the seed app: simulated database and external-service on readiness, /simulate_* routes on loopback)",
                metadata: ["version": "\(HealthExporterVersion.current)", "listen": "\(settings.listen)"]
            )
        }

        StartupPageRelease.schedule(after: settings.limits.releaseStartupPages, logger: logger)

        let inheritedListener: CInt?
        do {
            inheritedListener = try SocketActivation.inheritedListener()
        } catch {
            ConfigFailure.printError("socket activation: \(error)")
            throw ExitCode.failure
        }

        let registry = MetricsRegistry()
        let metrics: HealthMetrics
        do {
            try ProcessMetrics.register(in: registry)
            metrics = try HealthMetrics(registry: registry, checks: settings.checks)
        } catch {
            ConfigFailure.printError("cannot set up metrics: \(error)")
            throw ExitCode.failure
        }
        metrics.recordConfigLoad(successful: true)

        let clock = ContinuousClock()
        let monitor = HealthMonitor(checks: settings.checks, logger: logger, metrics: metrics, heartbeatTimeout: .seconds(5))
        let lifecycle = SystemdLifecycle(
            notifier: SystemdNotifier(), monitor: monitor, readyWhen: settings.notify.readyWhen, clock: clock, logger: logger)
        let factory = CheckFactory(configs: settings.checks, logger: logger)
        let scheduler = CheckScheduler(checks: factory.checks, monitor: monitor, clock: clock, logger: logger)
        var serverConfiguration = ProbeServer.Configuration(settings, metrics: metrics)
        serverConfiguration.inheritedListener = inheritedListener
        let server = ProbeServer(configuration: serverConfiguration, monitor: monitor, logger: logger) { _ in
            lifecycle.serverListening()
        }
        var grpcServer: GRPCHealthServer?
        if let grpc = settings.grpc {
            do {
                grpcServer = try GRPCHealthServer(
                    configuration: grpc, idleTimeout: settings.limits.idleTimeout, monitor: monitor, metrics: registry, logger: logger)
            } catch {
                ConfigFailure.printError("cannot set up grpc metrics: \(error)")
                throw ExitCode.failure
            }
        }
        var load: ConfigReloader<ContinuousClock>.Load?
        if let path = config {
            let command = self
            load = { () throws(ConfigError) -> HealthExporterConfig in
                command.overriding(try ConfigLoader.load(path: path))
            }
        }
        let reloader = ConfigReloader(
            current: settings,
            load: load,
            factory: factory, scheduler: scheduler, metrics: metrics, lifecycle: lifecycle, logger: logger
        )
        let drain = ShutdownDrain(monitor: monitor, lifecycle: lifecycle, delay: settings.drain.delay, clock: clock, logger: logger)
        // Started in order, stopped in reverse: the drain first (readiness off,
        // still serving), then the servers quiesce (gRPC ending its Watch
        // streams), and the systemd link last, so the watchdog beats until the end.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: lifecycle), .init(service: factory), .init(service: scheduler), .init(service: server),
        ]
        if let grpcServer { services.append(.init(service: grpcServer)) }
        services += [.init(service: reloader), .init(service: drain)]
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = settings.drain.timeout
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            ConfigFailure.printError("\(error)")
            throw ExitCode.failure
        }
        logger.info("stopped")
    }
}
