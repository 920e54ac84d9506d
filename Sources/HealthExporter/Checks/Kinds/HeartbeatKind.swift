extension CheckKind {
    /// The built-in liveness check fed by the scheduler's heartbeat: it fails
    /// when no beat came for `timeout`, so a wedged scheduler fails liveness.
    /// Added by the monitor itself (``HealthMonitor``'s `heartbeatTimeout`);
    /// never from a configuration file, whose checks may not use its name.
    public struct HeartbeatOptions: Sendable, Equatable {
        /// The built-in check's name.
        public static let checkName = "scheduler"

        public var timeout: Duration

        public init(timeout: Duration) {
            self.timeout = timeout
        }
    }

    /// The heartbeat check's configuration: liveness only, critical.
    static func heartbeatCheck(timeout: Duration) -> CheckConfig {
        CheckConfig(name: HeartbeatOptions.checkName, kind: CheckKind(HeartbeatOptions(timeout: timeout)), probes: [.liveness])
    }
}

extension CheckKind.HeartbeatOptions: CheckKindDefinition {
    static let name = "heartbeat"

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        nil  // the scheduler beats it directly
    }

    func policy(_ config: CheckConfig) -> CheckPolicy {
        .heartbeat(timeout: timeout)
    }
}
