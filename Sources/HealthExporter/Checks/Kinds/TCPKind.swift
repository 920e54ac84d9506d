extension CheckKind {
    /// A TCP connect: `kind: tcp`, option `address` (host:port).
    public struct TCPOptions: Sendable, Equatable {
        public var address: HostPort

        public init(address: HostPort) {
            self.address = address
        }
    }

    /// A TCP connect to `address`.
    public static func tcp(address: HostPort) -> CheckKind {
        CheckKind(TCPOptions(address: address))
    }
}

extension CheckKind.TCPOptions: ConfigurableCheckKind {
    static let name = "tcp"
    static let optionKeys = ["address"]
    static let isNetwork = true

    static func parse(_ keys: ConfigMapping) throws(ConfigError) -> Self {
        Self(address: try keys.required("address").hostPort(example: "127.0.0.1:9000"))
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        TCPCheck(address: address, timeout: config.timeout)
    }
}
