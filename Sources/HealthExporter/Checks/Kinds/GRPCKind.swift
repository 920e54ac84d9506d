import Telemetry

extension CheckKind {
    /// A dependency's `grpc.health.v1.Health/Check`: `kind: grpc`, options
    /// `address`, `service` ("" = the server as a whole), `tls` (false), and
    /// with TLS `tlsVerify` (true), `caFile`, `serverName`, `certFile` + `keyFile`.
    public struct GRPCOptions: Sendable, Equatable {
        public var address: HostPort
        public var service: String
        /// TLS settings when the connection is TLS; nil: plaintext HTTP/2 (h2c).
        public var tls: TLSClientSettings?

        public init(address: HostPort, service: String = "", tls: TLSClientSettings? = nil) {
            self.address = address
            self.service = service
            self.tls = tls
        }
    }

    /// A gRPC health check of a dependency.
    public static func grpc(_ options: GRPCOptions) -> CheckKind {
        CheckKind(options)
    }
}

extension CheckKind.GRPCOptions: ConfigurableCheckKind {
    static let name = "grpc"
    static let optionKeys = ["address", "service", "tls"] + ConfigMapping.tlsKeys(clientIdentity: true)
    static let isNetwork = true

    static func parse(_ keys: ConfigMapping) throws(ConfigError) -> Self {
        var options = Self(address: try keys.required("address").hostPort(example: "127.0.0.1:50051"))
        if let service = keys["service"] {
            let name = try service.string()
            guard name.utf8.count <= 256, !name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
                throw service.error(.invalidValue, "must be a service name of at most 256 printable characters")
            }
            options.service = name
        }
        let tlsOn = try keys["tls"]?.bool() ?? false
        if tlsOn {
            options.tls = try keys.tlsClientSettings(clientIdentity: true)
        } else {
            try keys.refuseTLSKeys(hint: "add tls: true")
        }
        return options
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        do {
            return try GRPCCheck(options: self, timeout: config.timeout)
        } catch {
            return FailingCheck(CheckFailure(.tls, "grpc \(address): the TLS settings cannot be used: \(type(of: error))"))
        }
    }
}
