import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import Telemetry
import UnixSignals

/// Reloads the configuration on SIGHUP (`systemctl reload`) without
/// dropping a connection or forgetting a check's state.
///
/// A reload is all or nothing: a file that does not load keeps the previous
/// configuration running, logs why (`MESSAGE_ID` of `reload_failed`) and sets
/// `health_exporter_config_last_reload_successful` to 0. Reloads never
/// overlap; signals that arrive during one are coalesced into the next.
public final class ConfigReloader<C: Clock>: Service, Sendable where C.Duration == Duration {
    /// Reads and validates the configuration file again (command-line overrides included).
    public typealias Load = @Sendable () throws(ConfigError) -> HealthExporterConfig

    private let load: Load?
    private let current: NIOLockedValueBox<HealthExporterConfig>
    private let factory: CheckFactory
    private let scheduler: CheckScheduler<C>
    private let metrics: HealthMetrics?
    private let lifecycle: SystemdLifecycle<C>?
    private let logger: Logger

    /// - Parameters:
    ///   - current: The configuration running now.
    ///   - load: Reads the file again; nil when there is no file (the built-in demo).
    public init(
        current: HealthExporterConfig,
        load: Load?,
        factory: CheckFactory,
        scheduler: CheckScheduler<C>,
        metrics: HealthMetrics?,
        lifecycle: SystemdLifecycle<C>?,
        logger: Logger
    ) {
        self.current = NIOLockedValueBox(current)
        self.load = load
        self.factory = factory
        self.scheduler = scheduler
        self.metrics = metrics
        self.lifecycle = lifecycle
        self.logger = logger
    }

    /// The configuration in effect.
    public var configuration: HealthExporterConfig {
        current.withLockedValue { $0 }
    }

    public func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            await reload()
        }
    }

    /// Loads the file again and applies it; what SIGHUP does.
    /// - Returns: The plan applied, or nil when the reload was refused.
    @discardableResult
    public func reload() async -> ReloadPlan? {
        lifecycle?.reloading()
        guard let load else {
            logger.notice("reload requested, but there is no --config file: the built-in demo stays as it is")
            lifecycle?.reloadFinished()
            return nil
        }
        let next: HealthExporterConfig
        do {
            next = try load()
        } catch {
            metrics?.recordConfigLoad(successful: false)
            logger.error(
                "reload failed: keeping the previous configuration",
                metadata: [HealthLogEvent.metadataKey: "\(HealthLogEvent.reloadFailed.rawValue)", "error": "\(error.description)"]
            )
            lifecycle?.reloadFinished(note: "reload failed, previous config kept: \(error.description)")
            return nil
        }
        let plan = ReloadPlan(from: configuration, to: next)
        let (started, retired) = factory.apply(plan)
        await scheduler.apply(plan, started: started, retiring: retired)
        current.withLockedValue { $0 = next }
        metrics?.recordConfigLoad(successful: true)
        var metadata: Logger.Metadata = [
            HealthLogEvent.metadataKey: "\(HealthLogEvent.reloadSucceeded.rawValue)",
            "added": "\(plan.added.joined(separator: ","))", "changed": "\(plan.changed.joined(separator: ","))",
            "removed": "\(plan.removed.joined(separator: ","))", "unchanged": "\(plan.unchanged.count)",
        ]
        if !plan.needsRestart.isEmpty {
            metadata["needs_restart"] = "\(plan.needsRestart.joined(separator: ","))"
        }
        logger.notice("configuration reloaded: \(plan)", metadata: metadata)
        if !plan.needsRestart.isEmpty {
            logger.warning(
                "changed settings take effect only after a restart: \(plan.needsRestart.joined(separator: ", "))",
                metadata: ["needs_restart": "\(plan.needsRestart.joined(separator: ","))"]
            )
        }
        lifecycle?.reloadFinished(note: plan.needsRestart.isEmpty ? nil : "restart to apply \(plan.needsRestart.joined(separator: ", "))")
        return plan
    }
}

extension ConfigReloader: CustomStringConvertible {
    /// The name ServiceLifecycle logs it under (a plain string: describing
    /// the instance by reflection costs start-up time).
    public var description: String { "config reloader" }
}
