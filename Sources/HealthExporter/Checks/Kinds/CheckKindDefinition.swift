/// One kind of check, with its options. Everything that differs between
/// kinds lives in the kind's own file behind this protocol (blackbox_exporter's
/// one prober per file): the name, the option keys and their parsing, whether
/// it reaches the network, the runnable check it builds, and how the monitor
/// judges it. ``CheckKinds/configurable`` lists the kinds a file may name.
protocol CheckKindDefinition: Sendable, Equatable {
    /// The name written in `kind:`, and shown as a check's `kind`.
    static var name: String { get }
    /// Reaches over the network: such a check may not be on the liveness
    /// probe (a dependency blip would restart every pod at once).
    static var isNetwork: Bool { get }
    /// The runnable check; nil when nothing runs on a schedule (the flag of
    /// a simulated check, a custom check the embedding code supplies).
    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)?
    /// How the monitor turns results into up and down.
    func policy(_ config: CheckConfig) -> CheckPolicy
}

/// A kind a configuration file may name, with its own keys.
protocol ConfigurableCheckKind: CheckKindDefinition {
    /// The kind's keys in a `checks:` entry, beside the common ones.
    static var optionKeys: [String] { get }
    /// Reads and validates the kind's options; errors name the key and value.
    static func parse(_ keys: ConfigMapping) throws(ConfigError) -> Self
}

extension CheckKindDefinition {
    static var isNetwork: Bool { false }

    /// Scheduled runs judged by the check's thresholds, stale after three
    /// intervals plus the timeout without a result.
    func policy(_ config: CheckConfig) -> CheckPolicy {
        .scheduled(
            failureThreshold: config.failureThreshold, successThreshold: config.successThreshold,
            staleAfter: config.interval * 3 + config.timeout)
    }

    func isEqual(to other: any CheckKindDefinition) -> Bool {
        (other as? Self) == self
    }
}
