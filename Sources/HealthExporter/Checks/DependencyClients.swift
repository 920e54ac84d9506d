import AsyncHTTPClient
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle

/// Builds the runnable check for each configured check, and owns what they
/// share: one HTTP client and the PostgreSQL connections, shut down when the
/// service group stops (it runs first, so it stops last).
public final class DependencyClients: Service, Sendable {
    private struct State {
        var checks: [(config: CheckConfig, check: any HealthCheck)] = []
        var httpClient: HTTPClient?
        var postgres: [String: PostgresCheck] = [:]
    }

    // Guards the current checks and clients; changed at start and by reloads.
    private let state = NIOLockedValueBox(State())
    private let logger: Logger

    public init(configs: [CheckConfig], logger: Logger) {
        self.logger = logger
        state.withLockedValue { state in
            state.checks = configs.compactMap { config in makeCheck(config, state: &state).map { (config, $0) } }
            state.postgres = Self.postgresChecks(in: state.checks)
        }
    }

    /// The runnable checks, in configuration order; simulated and custom checks have none.
    public var checks: [(config: CheckConfig, check: any HealthCheck)] {
        state.withLockedValue { $0.checks }
    }

    /// Switches to `configs` (a reload): a check whose configuration is
    /// unchanged keeps its instance and connection; others are built anew.
    /// - Returns: The new runnable checks, and the PostgreSQL checks no longer
    ///   used, to ``retire(_:)`` once their loops have stopped.
    public func reconfigure(_ configs: [CheckConfig]) -> (checks: [(config: CheckConfig, check: any HealthCheck)], retired: [PostgresCheck]) {
        state.withLockedValue { state in
            let previous = Dictionary(state.checks.map { ($0.config.name, $0) }, uniquingKeysWith: { first, _ in first })
            let checks = configs.compactMap { config -> (config: CheckConfig, check: any HealthCheck)? in
                if let old = previous[config.name], old.config == config { return old }
                return makeCheck(config, state: &state).map { (config, $0) }
            }
            let live = Self.postgresChecks(in: checks)
            let retired = state.postgres.filter { name, check in live[name] !== check }.map(\.value)
            state.postgres = live
            state.checks = checks
            return (checks, retired)
        }
    }

    /// Closes the connections of checks a reload dropped.
    public func retire(_ checks: [PostgresCheck]) async {
        for check in checks {
            await check.shutdown()
        }
    }

    private static func postgresChecks(in checks: [(config: CheckConfig, check: any HealthCheck)]) -> [String: PostgresCheck] {
        Dictionary(
            checks.compactMap { entry in (entry.check as? PostgresCheck).map { (entry.config.name, $0) } },
            uniquingKeysWith: { first, _ in first })
    }

    private func makeCheck(_ config: CheckConfig, state: inout State) -> (any HealthCheck)? {
        switch config.kind {
        case .simulated, .custom:
            return nil  // simulated: flipped by the admin routes; custom: the embedding code supplies the check
        case .tcp(let address):
            return TCPCheck(address: address, timeout: config.timeout)
        case .redis(let options):
            return RedisCheck(options: options, timeout: config.timeout)
        case .dns(let host):
            return DNSCheck(host: host)
        case .disk(let options):
            return DiskCheck(options: options)
        case .file(let options):
            return FileCheck(options: options)
        case .http(let options):
            let client = state.httpClient ?? HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton))
            state.httpClient = client
            return HTTPCheck(options: options, timeout: config.timeout, client: client)
        case .postgres(let options):
            var checkLogger = logger
            checkLogger[metadataKey: "check"] = "\(config.name)"
            checkLogger.logLevel = .critical  // postgres-nio's own chatter; failures are reported by the check
            return PostgresCheck(options: options, timeout: config.timeout, logger: checkLogger)
        }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        let (postgres, httpClient) = state.withLockedValue { (Array($0.postgres.values), $0.httpClient) }
        await retire(postgres)
        try await httpClient?.shutdown()
    }
}
