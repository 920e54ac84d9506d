import AsyncHTTPClient
import Logging
import NIOPosix
import ServiceLifecycle

/// Builds the runnable check for each configured check, and owns what they
/// share: one HTTP client and the PostgreSQL connections, shut down when the
/// service group stops (it runs first, so it stops last).
public final class DependencyClients: Service, Sendable {
    /// The runnable checks, in configuration order; simulated checks have none.
    public let checks: [(config: CheckConfig, check: any HealthCheck)]
    private let httpClient: HTTPClient?
    private let postgres: [PostgresCheck]

    public init(configs: [CheckConfig], logger: Logger) {
        let needsHTTP = configs.contains { if case .http = $0.kind { return true } else { return false } }
        let httpClient = needsHTTP ? HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton)) : nil
        var checks: [(CheckConfig, any HealthCheck)] = []
        var postgres: [PostgresCheck] = []
        for config in configs {
            switch config.kind {
            case .simulated, .custom:
                continue  // simulated: flipped by the admin routes; custom: the embedding code supplies the check
            case .tcp(let address):
                checks.append((config, TCPCheck(address: address, timeout: config.timeout)))
            case .redis(let options):
                checks.append((config, RedisCheck(options: options, timeout: config.timeout)))
            case .dns(let host):
                checks.append((config, DNSCheck(host: host)))
            case .disk(let options):
                checks.append((config, DiskCheck(options: options)))
            case .file(let options):
                checks.append((config, FileCheck(options: options)))
            case .http(let options):
                checks.append((config, HTTPCheck(options: options, timeout: config.timeout, client: httpClient!)))
            case .postgres(let options):
                var checkLogger = logger
                checkLogger[metadataKey: "check"] = "\(config.name)"
                checkLogger.logLevel = .critical  // postgres-nio's own chatter; failures are reported by the check
                let check = PostgresCheck(options: options, timeout: config.timeout, logger: checkLogger)
                postgres.append(check)
                checks.append((config, check))
            }
        }
        self.checks = checks
        self.httpClient = httpClient
        self.postgres = postgres
    }

    public func run() async throws {
        try? await gracefulShutdown()
        for check in postgres {
            await check.shutdown()
        }
        try await httpClient?.shutdown()
    }
}
