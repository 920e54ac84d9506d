extension CheckKind {
    /// A flag flipped by the admin routes (fault drills, and the seed's demo):
    /// `kind: simulated`, options `detail`, `startFailing`.
    public struct SimulatedOptions: Sendable, Equatable {
        /// Shown as the failure's output, and as `/ready`'s `detail` (the seed's
        /// "Database not available").
        public var detail: String?
        /// Whether the flag starts failed. Default false (healthy).
        public var startFailing: Bool

        public init(detail: String? = nil, startFailing: Bool = false) {
            self.detail = detail
            self.startFailing = startFailing
        }
    }

    /// A simulated check: its state is whatever the admin routes last set.
    public static func simulated(_ options: SimulatedOptions) -> CheckKind {
        CheckKind(options)
    }
}

extension CheckKind.SimulatedOptions: ConfigurableCheckKind {
    static let name = "simulated"
    static let optionKeys = ["detail", "startFailing"]

    static func parse(_ keys: ConfigMapping) throws(ConfigError) -> Self {
        var options = Self()
        if let detail = keys["detail"] { options.detail = try detail.nonEmptyString() }
        if let startFailing = keys["startFailing"] { options.startFailing = try startFailing.bool() }
        return options
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        nil  // nothing runs: the admin routes flip it
    }

    func policy(_ config: CheckConfig) -> CheckPolicy {
        .simulated(detail: detail, startFailing: startFailing)
    }
}
