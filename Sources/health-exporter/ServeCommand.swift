import ArgumentParser
import HealthExporter
import Logging
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

    func run() async throws {
        var settings = try HealthExporterConfig.fromCommandLine(path: config)
        if let listen, let address = ListenAddress(parsing: listen) {
            settings.listen = address
        }
        if let logFormat { settings.log.format = logFormat }
        if let logLevel { settings.log.level = logLevel }

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

        let registry = MetricsRegistry()
        let metrics: HealthMetrics
        do {
            try ProcessMetrics.register(in: registry)
            metrics = try HealthMetrics(registry: registry, checks: settings.checks, heartbeat: true)
        } catch {
            ConfigFailure.printError("cannot set up metrics: \(error)")
            throw ExitCode.failure
        }
        metrics.recordConfigLoad(successful: true)

        let monitor = HealthMonitor(checks: settings.checks, logger: logger, metrics: metrics, heartbeatTimeout: .seconds(5))
        let clients = DependencyClients(configs: settings.checks, logger: logger)
        let scheduler = CheckScheduler(checks: clients.checks, monitor: monitor, clock: ContinuousClock(), logger: logger)
        let server = ProbeServer(configuration: .init(settings, metrics: metrics), monitor: monitor, logger: logger)
        // Started in order, stopped in reverse: the server stops first, the clients last.
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: clients), .init(service: scheduler), .init(service: server)],
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
