extension CheckKind {
    /// A TLS handshake and the leaf certificate's expiry: `kind: tls`,
    /// options `address`, `serverName`, `caFile`, `tlsVerify` (true),
    /// `certWarn` (14d), `certFail` (0s).
    public struct TLSOptions: Sendable, Equatable {
        public var address: HostPort
        public var tls: TLSClientSettings
        public var expiry: CertificateExpiryPolicy

        public init(address: HostPort, tls: TLSClientSettings = TLSClientSettings(), expiry: CertificateExpiryPolicy = CertificateExpiryPolicy()) {
            self.address = address
            self.tls = tls
            self.expiry = expiry
        }
    }

    /// A TLS certificate check.
    public static func tls(_ options: TLSOptions) -> CheckKind {
        CheckKind(options)
    }
}

extension CheckKind.TLSOptions: ConfigurableCheckKind {
    static let name = "tls"
    static let optionKeys = ["address"] + ConfigMapping.tlsKeys(clientIdentity: false) + ["certWarn", "certFail"]
    static let isNetwork = true

    static func parse(_ keys: ConfigMapping) throws(ConfigError) -> Self {
        var options = Self(
            address: try keys.required("address").hostPort(example: "example.com:443"),
            tls: try keys.tlsClientSettings(clientIdentity: false))
        if let warn = keys["certWarn"] { options.expiry.warnWithin = try warn.durationWithDays(allowingZero: true) }
        if let fail = keys["certFail"] { options.expiry.failWithin = try fail.durationWithDays(allowingZero: true) }
        if options.expiry.failWithin > options.expiry.warnWithin, let fail = keys["certFail"] {
            throw fail.error(.invalidValue, "must not be longer than certWarn (\(CertificateExpiryPolicy.span(options.expiry.warnWithin)))")
        }
        return options
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        do {
            return try TLSCheck(options: self, timeout: config.timeout)
        } catch {
            return FailingCheck(CheckFailure(.tls, "TLS \(address): the TLS settings cannot be used: \(type(of: error))"))
        }
    }
}
