import Foundation
import Logging

extension CheckKind {
    /// Connect (one kept connection) and `SELECT 1`: `kind: postgres`,
    /// options `url` (`postgres://user@host[:port]/database`, no password),
    /// `passwordFile`, `passwordEnv`.
    public struct PostgresOptions: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String
        public var database: String
        public var password: Secret?

        public init(host: String, port: Int = 5432, user: String, database: String, password: Secret? = nil) {
            self.host = host
            self.port = port
            self.user = user
            self.database = database
            self.password = password
        }

        /// The connection as a URL without the password, safe to show.
        public var redactedURL: String { "postgres://\(user)@\(HostPort(host: host, port: port))/\(database)" }
    }

    /// A PostgreSQL check.
    public static func postgres(_ options: PostgresOptions) -> CheckKind {
        CheckKind(options)
    }
}

extension CheckKind.PostgresOptions: ConfigurableCheckKind {
    static let name = "postgres"
    static let optionKeys = ["url", "passwordFile", "passwordEnv"]
    static let isNetwork = true

    static func parse(_ keys: ConfigMapping) throws(ConfigError) -> Self {
        let urlNode = try keys.required("url")
        let text = try urlNode.nonEmptyString()
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? ""),
            let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty
        else {
            throw urlNode.error(.invalidValue, "is not postgres://user@host[:port]/database (the value is not shown: it may hold a password)")
        }
        guard components.password == nil else {
            throw urlNode.error(.invalidValue, "must not carry a password (it would show wherever the URL does); use passwordFile or passwordEnv")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        return Self(
            host: host, port: components.port ?? 5432, user: user, database: database.isEmpty ? user : database,
            password: try keys.password())
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        var logger = clients.logger
        logger[metadataKey: "check"] = "\(config.name)"
        logger.logLevel = .critical  // postgres-nio's own chatter; failures are reported by the check
        return PostgresCheck(options: self, timeout: config.timeout, logger: logger)
    }
}
