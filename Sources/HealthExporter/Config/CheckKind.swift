/// What a check does, with the options of its kind.
///
/// Each kind is defined in its own file under `Checks/Kinds/` (see
/// ``CheckKinds``); build one with the static functions there, e.g.
/// `.redis(.init(address: HostPort(host: "127.0.0.1", port: 6379)))`, or
/// ``custom`` for a check defined in code.
public struct CheckKind: Sendable, Equatable, CustomStringConvertible {
    let definition: any CheckKindDefinition

    init(_ definition: some CheckKindDefinition) {
        self.definition = definition
    }

    /// The kind's name as written in `kind:`.
    public var name: String { type(of: definition).name }

    /// Whether the check reaches over the network: such checks may not be on
    /// the liveness probe (a dependency outage would restart every pod at once).
    public var isNetwork: Bool { type(of: definition).isNetwork }

    /// The options, when this is the kind whose options are `Options`.
    public func options<Options>(as type: Options.Type) -> Options? {
        definition as? Options
    }

    public var description: String { name }

    public static func == (lhs: CheckKind, rhs: CheckKind) -> Bool {
        lhs.definition.isEqual(to: rhs.definition)
    }
}
