#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Telemetry

extension CheckKind {
    /// RESP `PING` → `PONG`, after `AUTH` when a password is set: `kind:
    /// redis`, options `address` or `url` (`redis://[user@]host:port`,
    /// `rediss://` for TLS), `passwordFile`, `passwordEnv`, and with
    /// `rediss://` `tlsVerify` (true), `caFile`, `serverName`, `certFile` + `keyFile`.
    public struct RedisOptions: Sendable, Equatable {
        public var address: HostPort
        /// The ACL user (`AUTH user password`); nil: the default user (`AUTH password`).
        public var user: String?
        public var password: Secret?
        /// TLS settings when the connection is TLS (`rediss://`).
        public var tls: TLSClientSettings?

        public init(address: HostPort, user: String? = nil, password: Secret? = nil, tls: TLSClientSettings? = nil) {
            self.address = address
            self.user = user
            self.password = password
            self.tls = tls
        }

        /// The connection as a URL without the password, safe to show.
        public var redactedURL: String {
            "\(tls == nil ? "redis" : "rediss")://\(user.map { "\($0)@" } ?? "")\(address)"
        }
    }

    /// A Redis check.
    public static func redis(_ options: RedisOptions) -> CheckKind {
        CheckKind(options)
    }
}

extension CheckKind.RedisOptions: ConfigurableCheckKind {
    static let name = "redis"
    static let optionKeys = ["address", "url", "passwordFile", "passwordEnv"] + ConfigMapping.tlsKeys(clientIdentity: true)
    static let isNetwork = true

    static func parse(_ keys: ConfigMapping) throws(ConfigError) -> Self {
        var options: Self
        switch (keys["address"], keys["url"]) {
        case (let address?, nil):
            options = Self(address: try address.hostPort(example: "127.0.0.1:6379"))
        case (nil, let url?):
            options = try parseURL(url)
        case (_?, let url?):
            throw url.error(.invalidValue, "and address both name the server; keep one")
        case (nil, nil):
            throw keys.owner.error(.missingKey, "is missing the required key \"address\" (or \"url\")")
        }
        options.password = try keys.password()
        if let user = options.user, options.password == nil, let url = keys["url"] {
            throw url.error(.missingKey, "names the user \(JSONText.quoted(user)), who needs a password: add passwordFile or passwordEnv")
        }
        if options.tls != nil {
            options.tls = try keys.tlsClientSettings(clientIdentity: true)
        } else {
            try keys.refuseTLSKeys(hint: "write url: rediss://host:port")
        }
        return options
    }

    private static func parseURL(_ node: ConfigNode) throws(ConfigError) -> Self {
        let text = try node.nonEmptyString()
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), scheme == "redis" || scheme == "rediss",
            let host = components.host, !host.isEmpty
        else {
            throw node.error(.invalidValue, "is not redis://[user@]host:port or rediss://[user@]host:port (the value is not shown: it may hold a password)")
        }
        guard components.password == nil else {
            throw node.error(.invalidValue, "must not carry a password (it would show wherever the URL does); use passwordFile or passwordEnv")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil else {
            throw node.error(.invalidValue, "must be only scheme, user, host and port (a database number is not needed for PING)")
        }
        let user = components.user.flatMap { $0.isEmpty ? nil : $0 }
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        return Self(
            address: HostPort(host: bareHost, port: components.port ?? 6379), user: user,
            tls: scheme == "rediss" ? TLSClientSettings() : nil)
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        do {
            return try RedisCheck(options: self, timeout: config.timeout)
        } catch {
            return FailingCheck(CheckFailure(.tls, "redis \(address): the TLS settings cannot be used: \(type(of: error))"))
        }
    }
}
