import Foundation
import Logging
import NIOSSL
import Telemetry

extension CheckKind {
    /// Connect (one kept connection) and `SELECT 1`: `kind: postgres`,
    /// options `url` (`postgres://user@host[:port]/database[?sslmode=…&sslrootcert=…]`,
    /// no password), `passwordFile`, `passwordEnv`.
    public struct PostgresOptions: Sendable, Equatable {
        /// libpq's `sslmode`, as libpq spells it (`allow` aside).
        public enum SSLMode: String, Sendable, CaseIterable {
            /// Plain TCP.
            case disable
            /// TLS when the server offers it, unverified; plain otherwise. libpq's default.
            case prefer
            /// TLS or fail; the certificate is not verified.
            case require
            /// TLS with the chain verified against `sslrootcert` (or the system's roots).
            case verifyCA = "verify-ca"
            /// As `verify-ca`, and the host name must match the certificate.
            case verifyFull = "verify-full"
        }

        public var host: String
        public var port: Int
        public var user: String
        public var database: String
        public var password: Secret?
        public var sslMode: SSLMode
        /// Roots from `sslrootcert`; nil: the system's roots.
        public var rootCertificates: [NIOSSLCertificate]?
        /// Where `rootCertificates` came from, shown in the URL.
        public var rootCertificateFile: String?

        public init(
            host: String, port: Int = 5432, user: String, database: String, password: Secret? = nil, sslMode: SSLMode = .prefer,
            rootCertificates: [NIOSSLCertificate]? = nil, rootCertificateFile: String? = nil
        ) {
            self.host = host
            self.port = port
            self.user = user
            self.database = database
            self.password = password
            self.sslMode = sslMode
            self.rootCertificates = rootCertificates
            self.rootCertificateFile = rootCertificateFile
        }

        /// The connection as a URL without the password, safe to show.
        public var redactedURL: String {
            var url = "postgres://\(user)@\(HostPort(host: host, port: port))/\(database)"
            if sslMode != .prefer { url += "?sslmode=\(sslMode.rawValue)" }
            return url
        }

        /// The TLS settings of this mode; nil for `disable`.
        var tls: TLSClientSettings? {
            switch sslMode {
            case .disable: return nil
            case .prefer, .require: return TLSClientSettings(verify: false)
            case .verifyCA, .verifyFull:
                return TLSClientSettings(verify: true, trustRoots: rootCertificates, caFile: rootCertificateFile)
            }
        }
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
        var options = Self(
            host: host, port: components.port ?? 5432, user: user, database: database.isEmpty ? user : database,
            password: try keys.password())
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    let choices = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw urlNode.error(.invalidValue, "sslmode \(JSONText.quoted(value)) is not one of: \(choices)")
                }
                options.sslMode = mode
            case "sslrootcert":
                options.rootCertificates = try urlNode.pemCertificates(value)
                options.rootCertificateFile = value
            default:
                throw urlNode.error(.invalidValue, "has the parameter \(JSONText.quoted(item.name)); only sslmode and sslrootcert are read")
            }
        }
        if options.rootCertificateFile != nil, options.sslMode != .verifyCA, options.sslMode != .verifyFull {
            throw urlNode.error(.invalidValue, "sslrootcert is only used with sslmode=verify-ca or verify-full, not \(options.sslMode.rawValue)")
        }
        return options
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        var logger = clients.logger
        logger[metadataKey: "check"] = "\(config.name)"
        logger.logLevel = .critical  // postgres-nio's own chatter; failures are reported by the check
        do {
            return try PostgresCheck(options: self, timeout: config.timeout, logger: logger)
        } catch {
            return FailingCheck(CheckFailure(.tls, "\(redactedURL): the TLS settings cannot be used: \(type(of: error))"))
        }
    }
}
