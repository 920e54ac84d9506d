extension CheckKind {
    /// A check defined in code (``ClosureHealthCheck`` or your own
    /// ``HealthCheck``); library mode only, never from a configuration file.
    public struct CustomOptions: Sendable, Equatable {
        public init() {}
    }

    /// A check defined in code; the embedding code supplies the runnable check.
    public static let custom = CheckKind(CustomOptions())
}

extension CheckKind.CustomOptions: CheckKindDefinition {
    static let name = "custom"

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        nil  // the embedding code passes its own HealthCheck to the scheduler
    }
}
