import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Telemetry

/// Passes when PostgreSQL accepts the login and answers `SELECT 1`.
///
/// TLS follows the URL's `sslmode` as libpq does. With TLS, the server's leaf
/// certificate is read by a handshake of its own at the first run and hourly
/// (postgres-nio does not show it), and its notAfter reported.
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
    private let tls: PostgresConnection.Configuration.TLS
    private let certificates: CertificateWatch?

    public init(options: CheckKind.PostgresOptions, timeout: Duration, logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.options = options
        self.timeout = timeout
        self.logger = logger
        self.group = group
        if let settings = options.tls {
            var configuration = settings.configuration
            if options.sslMode == .verifyCA { configuration.certificateVerification = .noHostnameVerification }
            tls = options.sslMode == .prefer ? .prefer(try NIOSSLContext(configuration: configuration)) : .require(try NIOSSLContext(configuration: configuration))
            var watched = settings
            if options.sslMode == .verifyCA { watched.verify = false }  // its chain is judged by the connection itself
            certificates = CertificateWatch(
                address: HostPort(host: options.host, port: options.port), handshake: try TLSHandshake(settings: watched, preamble: .postgresSSLRequest))
        } else {
            tls = .disable
            certificates = nil
        }
    }

    public func run() async throws {
        try await run(report: CheckRunReport())
    }

    public func run(report: CheckRunReport) async throws {
        let target = options.redactedURL
        let notAfter = await certificates?.notAfter(timeout: timeout, report: report)
        do {
            let connection = try await openConnection()
            _ = try await withTaskCancellationHandler {
                try await connection.query("SELECT 1", logger: logger).collect()
            } onCancel: {
                connection.close().whenComplete { _ in }
            }
        } catch {
            await closeConnection()
            throw Self.classify(error, target: target, notAfter: notAfter)
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
            password: options.password?.reveal(), database: options.database, tls: tls)
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

    static func classify(_ error: any Error, target: String, notAfter: WallClockTimestamp? = nil) -> CheckFailure {
        if let failure = TLSHandshake.failure(error, notAfter: notAfter, target: target) { return failure }
        guard let psql = error as? PSQLError else { return CheckFailure.classify(error, target: target) }
        if psql.code == .sslUnsupported {
            return CheckFailure(.tls, "\(target): the server does not offer TLS, which the sslmode requires")
        }
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
        if psql.code == .connectionError || psql.code == .failedToAddSSLHandler, let underlying = psql.underlying {
            return classify(underlying, target: target, notAfter: notAfter)
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
