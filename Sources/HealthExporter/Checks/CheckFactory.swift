import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Builds the runnable check of each configured check (each kind's file
/// under `Checks/Kinds/` knows how), keeps them across reloads,
/// and owns the lifetime of what they share: the HTTP client and every
/// check's own connection, shut down when the service group stops (it runs
/// first, so it stops last).
public final class CheckFactory: Service, Sendable {
    /// A configured check with its runnable instance.
    public typealias Runnable = (config: CheckConfig, check: any HealthCheck)

    private let clients: SharedClients
    // Guards the current runnable checks; changed at start and by reloads.
    private let current: NIOLockedValueBox<[Runnable]>

    public init(configs: [CheckConfig], logger: Logger) {
        let clients = SharedClients(logger: logger)
        self.clients = clients
        self.current = NIOLockedValueBox(configs.compactMap { config in Self.make(config, clients).map { (config, $0) } })
    }

    /// The runnable checks, in configuration order; simulated and custom checks have none.
    public var checks: [Runnable] {
        current.withLockedValue { $0 }
    }

    /// Applies a reload: unchanged checks keep their instance (and connection);
    /// added and changed ones are built anew.
    /// - Returns: The runnable checks to start (added and changed), and the
    ///   old instances to shut down once their loops have stopped (the
    ///   scheduler does, ``CheckScheduler/apply(_:started:retiring:)``).
    public func apply(_ plan: ReloadPlan) -> (started: [Runnable], retired: [any HealthCheck]) {
        current.withLockedValue { current in
            let previous = Dictionary(current.map { ($0.config.name, $0) }, uniquingKeysWith: { first, _ in first })
            var started: [Runnable] = []
            var next: [Runnable] = []
            for config in plan.checks {
                if plan.keeps(config.name), let kept = previous[config.name] {
                    next.append(kept)
                } else if let check = Self.make(config, clients) {
                    next.append((config, check))
                    started.append((config, check))
                }
            }
            let retired = plan.retired.compactMap { previous[$0]?.check }
            current = next
            return (started, retired)
        }
    }

    private static func make(_ config: CheckConfig, _ clients: SharedClients) -> (any HealthCheck)? {
        config.kind.definition.makeCheck(config, clients: clients)
    }

    public func run() async throws {
        try? await gracefulShutdown()
        for check in checks.map(\.check) { await check.shutdown() }
        try await clients.shutdown()
    }
}

extension CheckFactory: CustomStringConvertible {
    /// The name ServiceLifecycle logs it under (a plain string: describing
    /// the instance by reflection costs start-up time).
    public var description: String { "check factory" }
}
