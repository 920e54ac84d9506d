extension CheckKind {
    /// RESP `PING` → `PONG`, after `AUTH` when a password is set:
    /// `kind: redis`, options `address`, `passwordFile`, `passwordEnv`.
    public struct RedisOptions: Sendable, Equatable {
        public var address: HostPort
        public var password: Secret?

        public init(address: HostPort, password: Secret? = nil) {
            self.address = address
            self.password = password
        }
    }

    /// A Redis check.
    public static func redis(_ options: RedisOptions) -> CheckKind {
        CheckKind(options)
    }
}

extension CheckKind.RedisOptions: ConfigurableCheckKind {
    static let name = "redis"
    static let optionKeys = ["address", "passwordFile", "passwordEnv"]
    static let isNetwork = true

    static func parse(_ keys: ConfigMapping) throws(ConfigError) -> Self {
        Self(address: try keys.required("address").hostPort(example: "127.0.0.1:6379"), password: try keys.password())
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        RedisCheck(options: self, timeout: config.timeout)
    }
}
