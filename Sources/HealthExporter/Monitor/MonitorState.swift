import Telemetry

/// Everything the monitor knows, as a plain value: mutations return the events
/// they caused, so the rules are testable without threads, clocks or I/O.
///
/// Rules:
/// - A scheduled check is `pending` (down) until its first result; a first
///   failure keeps it down with that reason, `successThreshold` successes bring it up.
/// - An up check goes down after `failureThreshold` consecutive failures; a
///   down check comes up after `successThreshold` consecutive successes.
/// - A check whose latest result is older than its `staleAfter` (three
///   intervals plus the timeout) goes down at once with reason `stale`.
/// - `simulated` checks follow their flag, with no thresholds or staleness.
/// - The built-in `scheduler` heartbeat (liveness) goes stale like a check
///   when the scheduler stops beating.
/// - Draining (shutdown) fails readiness for good; nothing turns it back off.
/// - A reconfiguration keeps the state of every check whose configuration is
///   unchanged; a new or changed check starts over as `pending`.
struct MonitorState: Sendable {
    /// The name of the built-in liveness check fed by the scheduler's heartbeat.
    static let heartbeatCheckName = "scheduler"

    struct Policy: Sendable {
        var failureThreshold: Int
        var successThreshold: Int
        /// nil: never stale (simulated checks).
        var staleAfter: Duration?
        /// Present for simulated checks: their failure detail.
        var simulatedDetail: String??
    }

    private(set) var checks: [CheckSnapshot]
    private var configs: [CheckConfig]
    /// Kept with the check list, so a snapshot per result does not rebuild it.
    private var indexByName: [String: Int] = [:]
    private let heartbeatTimeout: Duration?
    private var policies: [Policy]
    private var lastResultUptime: [Duration]
    private(set) var maintenance = false
    private(set) var draining = false
    /// The test hook `POST /admin/heartbeat/stop` was used: beats are ignored.
    private(set) var heartbeatStopped = false
    private(set) var startupComplete = false
    private(set) var generation: UInt64 = 0

    init(checks configs: [CheckConfig], heartbeatTimeout: Duration? = nil, now: MonitorTime) {
        var snapshots: [CheckSnapshot] = []
        var policies: [Policy] = []
        for config in configs {
            switch config.kind {
            case .simulated(let options):
                // A simulated flag's state is known at once: no pending period.
                snapshots.append(
                    CheckSnapshot(
                        name: config.name, kind: config.kind.name, probes: config.probes, critical: config.critical,
                        isUp: !options.startFailing,
                        reason: options.startFailing ? .simulated : nil,
                        output: options.startFailing ? (options.detail ?? "simulated failure") : nil,
                        lastSuccess: options.startFailing ? nil : now.wall,
                        consecutiveFailures: options.startFailing ? 1 : 0,
                        consecutiveSuccesses: options.startFailing ? 0 : 1
                    ))
                policies.append(Policy(failureThreshold: 1, successThreshold: 1, staleAfter: nil, simulatedDetail: .some(options.detail)))
            default:
                snapshots.append(
                    CheckSnapshot(
                        name: config.name, kind: config.kind.name, probes: config.probes, critical: config.critical,
                        isUp: false, reason: .pending, output: "no result yet"
                    ))
                policies.append(
                    Policy(
                        failureThreshold: config.failureThreshold,
                        successThreshold: config.successThreshold,
                        staleAfter: config.interval * 3 + config.timeout,
                        simulatedDetail: nil
                    ))
            }
        }
        if let heartbeatTimeout {
            snapshots.append(
                CheckSnapshot(
                    name: Self.heartbeatCheckName, kind: "heartbeat", probes: [.liveness], critical: true,
                    isUp: true, lastSuccess: now.wall, lastResult: now.wall, consecutiveSuccesses: 1
                ))
            policies.append(Policy(failureThreshold: 1, successThreshold: 1, staleAfter: heartbeatTimeout, simulatedDetail: nil))
        }
        checks = snapshots
        indexByName = Self.index(snapshots)
        self.configs = configs
        self.heartbeatTimeout = heartbeatTimeout
        self.policies = policies
        lastResultUptime = Array(repeating: now.uptime, count: snapshots.count)
        updateStartup()
    }

    /// The state as an immutable snapshot.
    func snapshot() -> HealthSnapshot {
        HealthSnapshot(
            generation: generation, checks: checks, maintenance: maintenance, draining: draining,
            startupComplete: startupComplete, indexByName: indexByName)
    }

    /// Applies one run's result to a scheduled check (unknown names are ignored:
    /// a reload may have removed the check while its run was in flight).
    mutating func record(_ name: String, outcome: Result<Void, CheckFailure>, duration: Duration, now: MonitorTime) -> [HealthEvent] {
        guard let index = checks.firstIndex(where: { $0.name == name }), policies[index].simulatedDetail == nil else { return [] }
        return mutateCheck(at: index) { state in state.apply(outcome, duration: duration, at: index, now: now) }
    }

    /// The scheduler is alive: its heartbeat check passes.
    mutating func beat(now: MonitorTime) -> [HealthEvent] {
        guard !heartbeatStopped, let index = checks.firstIndex(where: { $0.name == Self.heartbeatCheckName && $0.kind == "heartbeat" }) else { return [] }
        return mutateCheck(at: index) { state in state.apply(.success(()), duration: .zero, at: index, now: now) }
    }

    /// Marks every check whose latest result is too old as stale (down).
    mutating func sweep(now: MonitorTime) -> [HealthEvent] {
        let staleIndices = checks.indices.filter { index in
            guard let staleAfter = policies[index].staleAfter else { return false }
            return now.uptime - lastResultUptime[index] > staleAfter && checks[index].reason != .stale
        }
        guard !staleIndices.isEmpty else { return [] }
        let events = mutate { state in
            for index in staleIndices {
                let age = now.uptime - state.lastResultUptime[index]
                state.checks[index].isUp = false
                state.checks[index].reason = .stale
                state.checks[index].output = "no result for \(Self.seconds(age)) (stale after \(Self.seconds(state.policies[index].staleAfter!)))"
                state.checks[index].consecutiveSuccesses = 0
            }
        }
        return staleIndices.map { .checkStale(checks[$0]) } + events
    }

    private mutating func apply(_ outcome: Result<Void, CheckFailure>, duration: Duration, at index: Int, now: MonitorTime) {
        let policy = policies[index]
        var check = checks[index]
        check.lastDuration = duration
        check.lastResult = now.wall
        lastResultUptime[index] = now.uptime
        switch outcome {
        case .success:
            check.consecutiveSuccesses += 1
            check.consecutiveFailures = 0
            check.lastSuccess = now.wall
            if check.isUp || check.consecutiveSuccesses >= policy.successThreshold {
                check.isUp = true
                check.reason = nil
                check.output = nil
            }
        case .failure(let failure):
            check.consecutiveFailures += 1
            check.consecutiveSuccesses = 0
            check.reason = failure.reason
            check.output = failure.message
            if check.isUp, check.consecutiveFailures >= policy.failureThreshold {
                check.isUp = false
            }
        }
        checks[index] = check
    }

    /// Fails or recovers a simulated check. Takes effect at once: a simulated
    /// flag has no thresholds, since the drill's point is the flip itself.
    mutating func setSimulated(_ name: String, failing: Bool, now: WallClockTimestamp) throws(CheckControlError) -> [HealthEvent] {
        guard let index = checks.firstIndex(where: { $0.name == name }) else {
            throw CheckControlError.unknownCheck(name, known: checks.map(\.name))
        }
        guard let detail = policies[index].simulatedDetail else {
            throw CheckControlError.notControllable(name, kind: checks[index].kind)
        }
        return mutate { state in
            var check = state.checks[index]
            if failing {
                check.isUp = false
                check.reason = .simulated
                check.output = detail ?? "simulated failure"
                check.consecutiveFailures += 1
                check.consecutiveSuccesses = 0
            } else {
                check.isUp = true
                check.reason = nil
                check.output = nil
                check.lastSuccess = now
                check.consecutiveFailures = 0
                check.consecutiveSuccesses += 1
            }
            check.lastResult = now
            state.checks[index] = check
        }
    }

    /// Switches planned maintenance (readiness fails, liveness untouched).
    mutating func setMaintenance(_ on: Bool) -> [HealthEvent] {
        guard maintenance != on else { return [] }
        var events = mutate { $0.maintenance = on }
        events.insert(.maintenanceChanged(on: on), at: 0)
        return events
    }

    /// Starts the shutdown drain: readiness fails with reason `draining` from now on.
    mutating func startDraining() -> [HealthEvent] {
        guard !draining else { return [] }
        return mutate { $0.draining = true }
    }

    /// Ignores every later beat, so the heartbeat check goes stale and
    /// liveness fails as if the scheduler were wedged (a test hook for the
    /// systemd watchdog and kubelet liveness restarts).
    mutating func stopHeartbeat() -> Bool {
        guard heartbeatTimeout != nil else { return false }
        heartbeatStopped = true
        return true
    }

    /// Replaces the check list with `newConfigs` (a reload). Checks whose
    /// configuration is unchanged keep their state, counters and last result
    /// time; new and changed checks start over; removed checks are dropped.
    /// The heartbeat check, maintenance, draining and startup are kept.
    mutating func reconfigure(_ newConfigs: [CheckConfig], now: MonitorTime) -> [HealthEvent] {
        let fresh = MonitorState(checks: newConfigs, heartbeatTimeout: heartbeatTimeout, now: now)
        let oldIndexByName = Dictionary(checks.indices.map { (checks[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
        return mutate { state in
            var checks = fresh.checks
            var policies = fresh.policies
            var lastResultUptime = fresh.lastResultUptime
            for index in checks.indices {
                guard let old = oldIndexByName[checks[index].name] else { continue }
                let unchanged = index < newConfigs.count
                    ? old < state.configs.count && state.configs[old] == newConfigs[index]
                    : checks[index].kind == "heartbeat"  // the built-in check survives every reload
                guard unchanged else { continue }
                checks[index] = state.checks[old]
                policies[index] = state.policies[old]
                lastResultUptime[index] = state.lastResultUptime[old]
            }
            state.checks = checks
            state.indexByName = Self.index(checks)
            state.configs = newConfigs
            state.policies = policies
            state.lastResultUptime = lastResultUptime
        }
    }

    /// Applies `change`, bumps the generation and reports what changed.
    private mutating func mutate(_ change: (inout MonitorState) -> Void) -> [HealthEvent] {
        let before = self
        change(&self)
        updateStartup()
        generation += 1
        return Self.events(from: before, to: self)
    }

    /// ``mutate(_:)`` for a change to the one check at `index` (a result, a
    /// beat): the hot path of the scheduler. Copies only that check, not the
    /// whole state, unless its status changed and probe verdicts must be compared.
    private mutating func mutateCheck(at index: Int, _ change: (inout MonitorState) -> Void) -> [HealthEvent] {
        let old = checks[index]
        let wasStarted = startupComplete
        change(&self)
        updateStartup()
        generation += 1
        guard old.status != checks[index].status || old.reason != checks[index].reason || wasStarted != startupComplete else {
            return []
        }
        var before = self
        before.checks[index] = old
        before.startupComplete = wasStarted
        return Self.events(from: before, to: self)
    }

    private mutating func updateStartup() {
        if !startupComplete {
            startupComplete = checks.allSatisfy { !$0.probes.contains(.startup) || $0.isUp }
        }
    }

    private static func events(from before: MonitorState, to after: MonitorState) -> [HealthEvent] {
        var events: [HealthEvent] = []
        // By name, not position: a reconfiguration may add, remove and reorder checks.
        let beforeByName = Dictionary(before.checks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for new in after.checks {
            guard let old = beforeByName[new.name] else { continue }
            if old.isUp != new.isUp {
                events.append(new.isUp ? .checkUp(new) : .checkDown(new))
            } else if !new.isUp, old.reason == .pending, new.reason != .pending {
                // Never up, and now we know why: that is the check going down.
                events.append(.checkDown(new))
            }
        }
        // Most results change nothing a probe answers with: skip building and judging two snapshots.
        guard before.maintenance != after.maintenance || before.draining != after.draining
            || before.startupComplete != after.startupComplete || before.checks.count != after.checks.count
            || !zip(before.checks, after.checks).allSatisfy({ $0.judgedAlike($1) })
        else { return events }
        let beforeSnapshot = before.snapshot()
        let afterSnapshot = after.snapshot()
        for probe in Probe.allCases {
            let old = beforeSnapshot.verdict(for: probe)
            let new = afterSnapshot.verdict(for: probe)
            if old.status.isHealthy != new.status.isHealthy {
                events.append(.probeChanged(new))
            }
        }
        return events
    }

    private static func index(_ checks: [CheckSnapshot]) -> [String: Int] {
        Dictionary(checks.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private static func seconds(_ duration: Duration) -> String {
        ConfigValueParsers.format(.seconds(duration.components.seconds))
    }
}
