/// The service's health at one instant: immutable, cheap to share between
/// event loops, and the only thing a probe request ever reads.
///
/// A new snapshot is published whenever anything changes; readers never wait
/// on a check.
public final class HealthSnapshot: Sendable {
    /// Increases with every published snapshot; a newer one always has a higher value.
    public let generation: UInt64
    /// Every configured check, in configuration order.
    public let checks: [CheckSnapshot]
    /// Readiness is off on purpose (`/admin/maintenance/on`).
    public let maintenance: Bool
    /// Shutdown has begun: readiness fails with reason `draining`.
    public let draining: Bool
    /// Every startup check has passed at least once; `/startupz` passes from then on.
    public let startupComplete: Bool

    private let indexByName: [String: Int]
    /// The monitor's count of answer changes; nil for a snapshot built by hand.
    private let answersVersion: UInt64?

    public convenience init(
        generation: UInt64,
        checks: [CheckSnapshot],
        maintenance: Bool = false,
        draining: Bool = false,
        startupComplete: Bool
    ) {
        self.init(
            generation: generation, checks: checks, maintenance: maintenance, draining: draining, startupComplete: startupComplete,
            indexByName: Dictionary(checks.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first }),
            answersVersion: nil)
    }

    /// For ``MonitorState``, which keeps the index with its check list.
    init(
        generation: UInt64, checks: [CheckSnapshot], maintenance: Bool, draining: Bool, startupComplete: Bool,
        indexByName: [String: Int], answersVersion: UInt64?
    ) {
        self.generation = generation
        self.checks = checks
        self.maintenance = maintenance
        self.draining = draining
        self.startupComplete = startupComplete
        self.indexByName = indexByName
        self.answersVersion = answersVersion
    }

    /// Whether every plain (non-verbose) answer built from this snapshot equals
    /// the one built from `other`: the same flags, and each check with the same
    /// name, probes, status, reason and output. Times and counters may differ.
    public func hasSameAnswers(as other: HealthSnapshot) -> Bool {
        // Both from the monitor: it counted every answer change (O(1) per result, not O(checks)).
        if let mine = answersVersion, let theirs = other.answersVersion { return mine == theirs }
        return maintenance == other.maintenance && draining == other.draining && startupComplete == other.startupComplete
            && checks.count == other.checks.count
            && zip(checks, other.checks).allSatisfy { $0.judgedAlike($1) && $0.reason == $1.reason && $0.output == $1.output }
    }

    /// The position of the check called `name` in ``checks``.
    func index(of name: String) -> Int? {
        indexByName[name]
    }

    /// The check called `name`, if configured.
    public func check(named name: some StringProtocol) -> CheckSnapshot? {
        indexByName[String(name)].map { checks[$0] }
    }

    /// The answer of `probe`, leaving out the checks named in `excluded`.
    public func verdict(for probe: Probe, excluding excluded: Set<String> = []) -> ProbeVerdict {
        let members = checks.filter { $0.probes.contains(probe) }
        let included: [CheckSnapshot]
        let knownExcluded: [String]
        let unknown: [String]
        if excluded.isEmpty {
            // The common case (every probe request and transition): no sets to build.
            (included, knownExcluded, unknown) = (members, [], [])
        } else {
            let memberNames = Set(members.map(\.name))
            included = members.filter { !excluded.contains($0.name) }
            knownExcluded = members.map(\.name).filter { excluded.contains($0) }
            unknown = excluded.filter { !memberNames.contains($0) }.sorted()
        }

        let combined = included.reduce(CheckStatus.pass) { $0.worst($1.status) }
        switch probe {
        case .readiness where draining:
            return ProbeVerdict(probe: probe, status: .fail, reason: .draining, checks: included, excluded: knownExcluded, unknownExclusions: unknown)
        case .readiness where maintenance:
            return ProbeVerdict(probe: probe, status: .fail, reason: .maintenance, checks: included, excluded: knownExcluded, unknownExclusions: unknown)
        case .startup where startupComplete:
            // Like a kubelet's startup probe: once started, always started.
            return ProbeVerdict(probe: probe, status: .pass, checks: included, excluded: knownExcluded, unknownExclusions: unknown)
        default:
            return ProbeVerdict(probe: probe, status: combined, checks: included, excluded: knownExcluded, unknownExclusions: unknown)
        }
    }

    /// The answer of one check alone on `probe` (`/readyz/NAME`), or nil when
    /// that check does not take part in the probe.
    public func verdict(for probe: Probe, check name: some StringProtocol) -> ProbeVerdict? {
        guard let check = check(named: name), check.probes.contains(probe) else { return nil }
        return ProbeVerdict(probe: probe, status: check.status, checks: [check])
    }
}
