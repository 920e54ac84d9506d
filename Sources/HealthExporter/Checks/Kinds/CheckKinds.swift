/// The one list of check kinds. Adding a kind is one file under `Kinds/` and
/// one line here: the configuration parser, its error messages, the liveness
/// guard and the factory all read this list.
enum CheckKinds {
    /// Every kind a configuration file may name, in the order errors list them.
    static let configurable: [Entry] = [
        Entry(CheckKind.SimulatedOptions.self),
        Entry(CheckKind.TCPOptions.self),
        Entry(CheckKind.TLSOptions.self),
        Entry(CheckKind.HTTPOptions.self),
        Entry(CheckKind.PostgresOptions.self),
        Entry(CheckKind.RedisOptions.self),
        Entry(CheckKind.DNSOptions.self),
        Entry(CheckKind.DiskOptions.self),
        Entry(CheckKind.FileOptions.self),
        Entry(CheckKind.GRPCOptions.self),
    ]

    /// The configurable kind named `name`, if any.
    static func named(_ name: String) -> Entry? {
        configurable.first { $0.name == name }
    }

    /// Check names the service uses itself.
    static let reservedNames: Set<String> = [CheckKind.HeartbeatOptions.checkName]

    /// One configurable kind, erased: what the parser needs of it.
    struct Entry: Sendable {
        let name: String
        let optionKeys: [String]
        let parse: @Sendable (ConfigMapping) throws(ConfigError) -> CheckKind

        init<Kind: ConfigurableCheckKind>(_ kind: Kind.Type) {
            name = Kind.name
            optionKeys = Kind.optionKeys
            parse = { keys throws(ConfigError) in CheckKind(try Kind.parse(keys)) }
        }
    }
}
