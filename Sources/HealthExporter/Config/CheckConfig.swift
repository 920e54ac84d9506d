/// One dependency check as configured: what to check, for which probes, how
/// often, and how many results it takes to change its mind.
public struct CheckConfig: Sendable, Equatable {
    /// `[a-z0-9][a-z0-9_.-]*`: it becomes a URL segment and a label value.
    public var name: String
    /// What the check does, with the options of that kind.
    public var kind: CheckKind
    /// The probes whose answer this check takes part in. Default `[readiness]`.
    public var probes: Set<Probe>
    /// Time between runs. Default 10s.
    public var interval: Duration
    /// Longest a run may take before it counts as `timeout`. Default 2s.
    public var timeout: Duration
    /// Consecutive failures before the check is down. Default 3.
    public var failureThreshold: Int
    /// Consecutive successes before a down check is up again. Default 1.
    public var successThreshold: Int
    /// `false`: a failure is `warn` and does not fail the probe. Default true.
    public var critical: Bool

    public init(
        name: String,
        kind: CheckKind,
        probes: Set<Probe> = [.readiness],
        interval: Duration = .seconds(10),
        timeout: Duration = .seconds(2),
        failureThreshold: Int = 3,
        successThreshold: Int = 1,
        critical: Bool = true
    ) {
        self.name = name
        self.kind = kind
        self.probes = probes
        self.interval = interval
        self.timeout = timeout
        self.failureThreshold = failureThreshold
        self.successThreshold = successThreshold
        self.critical = critical
    }

    /// Whether `name` is a valid check name.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLowerAlphanumeric(first) else { return false }
        return name.utf8.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
