extension CheckKind {
    /// The host name resolves: `kind: dns`, option `host`.
    public struct DNSOptions: Sendable, Equatable {
        public var host: String

        public init(host: String) {
            self.host = host
        }
    }

    /// `host` resolves to at least one address.
    public static func dns(host: String) -> CheckKind {
        CheckKind(DNSOptions(host: host))
    }
}

extension CheckKind.DNSOptions: ConfigurableCheckKind {
    static let name = "dns"
    static let optionKeys = ["host"]
    static let isNetwork = true

    static func parse(_ keys: ConfigMapping) throws(ConfigError) -> Self {
        Self(host: try keys.required("host").nonEmptyString())
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        DNSCheck(host: host)
    }
}
