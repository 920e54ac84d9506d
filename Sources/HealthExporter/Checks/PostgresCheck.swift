import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// Passes when PostgreSQL accepts the login and answers `SELECT 1`.
///
/// One connection is kept between runs (a pool of one: the check needs no
/// more, and the server sees one session, not one per run); it is dropped and
/// reopened after any failure. Failures are classified from the server's
/// SQLSTATE (28P01/28000 → `auth`) and the socket error (→ `refused`, `dns`).
public actor PostgresCheck: HealthCheck {
    public let options: CheckKind.PostgresOptions
    private let timeout: Duration
    private let logger: Logger
    private let group: any EventLoopGroup
    private var connection: PostgresConnection?
    private var nextID = 0

    public init(options: CheckKind.PostgresOptions, timeout: Duration, logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.options = options
        self.timeout = timeout
        self.logger = logger
        self.group = group
    }

    public func run() async throws {
        let target = options.redactedURL
        do {
            let connection = try await openConnection()
            _ = try await withTaskCancellationHandler {
                try await connection.query("SELECT 1", logger: logger).collect()
            } onCancel: {
                connection.close().whenComplete { _ in }
            }
        } catch {
            await closeConnection()
            throw Self.classify(error, target: target)
        }
    }

    /// Closes the kept connection (at shutdown).
    public func shutdown() async {
        await closeConnection()
    }

    private func openConnection() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        var configuration = PostgresConnection.Configuration(
            host: options.host, port: options.port, username: options.user,
            password: options.password?.reveal(), database: options.database, tls: .disable)
        configuration.options.connectTimeout = TimeAmount(timeout)
        nextID += 1
        let connection = try await PostgresConnection.connect(
            on: group.next(), configuration: configuration, id: nextID, logger: logger)
        self.connection = connection
        return connection
    }

    private func closeConnection() async {
        if let connection {
            self.connection = nil
            try? await connection.close()
        }
    }

    static func classify(_ error: any Error, target: String) -> CheckFailure {
        guard let psql = error as? PSQLError else { return CheckFailure.classify(error, target: target) }
        if psql.code == .server, let state = psql.serverInfo?[.sqlState] {
            switch state {
            case "28P01", "28000":
                return CheckFailure(.auth, "\(target): authentication failed (SQLSTATE \(state))")
            case "3D000":
                return CheckFailure(.query, "\(target): database does not exist (SQLSTATE \(state))")
            default:
                return CheckFailure(.query, "\(target): server error SQLSTATE \(state)")
            }
        }
        if psql.code == .connectionError, let underlying = psql.underlying {
            return CheckFailure.classify(underlying, target: target)
        }
        if psql.code == .authMechanismRequiresPassword || psql.code == .unsupportedAuthMechanism || psql.code == .saslError {
            return CheckFailure(.auth, "\(target): \(psql.code)")
        }
        if psql.code == .queryCancelled {
            return CheckFailure(.timeout, "\(target): query cancelled")
        }
        return CheckFailure(.protocol, "\(target): \(psql.code)")
    }
}
