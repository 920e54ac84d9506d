import Telemetry

/// Everything the monitor knows, as a plain value: one ``CheckState`` per
/// check plus the probe-wide flags. Mutations return the events they caused,
/// so the rules are testable without threads, clocks or I/O.
///
/// Per-check rules are ``CheckState``'s. Here:
/// - Draining (shutdown) fails readiness for good; nothing turns it back off.
/// - Startup completes once every startup check has been up, and stays complete.
/// - A reload (``apply(_:now:)``) keeps the state of every check the
///   ``ReloadPlan`` keeps; new and changed checks start over; the built-in
///   heartbeat check survives every reload.
struct MonitorState: Sendable {
    private(set) var states: [CheckState]
    /// Every check's current snapshot, in order: `states`' snapshots, kept
    /// beside them so a result replaces one element instead of rebuilding the
    /// list (which copied every check's state, configuration included, per
    /// result: 14% of an idle exporter's CPU with 50 checks). Every change to
    /// `states` goes through ``mutate(_:)`` or ``mutateCheck(at:_:)``, which
    /// keep the two in step.
    private(set) var checks: [CheckSnapshot]
    /// Kept with the check list, so a snapshot per result does not rebuild it.
    private var indexByName: [String: Int] = [:]
    private(set) var maintenance = false
    private(set) var draining = false
    /// The test hook `POST /admin/heartbeat/stop` was used: beats are ignored.
    private(set) var heartbeatStopped = false
    private(set) var startupComplete = false
    private(set) var generation: UInt64 = 0
    /// Bumped whenever anything a plain (non-verbose) answer shows may have
    /// changed; equal values mean equal answers (``HealthSnapshot/hasSameAnswers(as:)``).
    private(set) var answersVersion: UInt64 = 0

    /// - Parameter heartbeatTimeout: Adds the built-in heartbeat check
    ///   (``CheckKind/HeartbeatOptions``), stale after this long without a beat.
    init(checks configs: [CheckConfig], heartbeatTimeout: Duration? = nil, now: MonitorTime) {
        let all = configs + (heartbeatTimeout.map { [CheckKind.heartbeatCheck(timeout: $0)] } ?? [])
        let states = all.map { CheckState($0, now: now) }
        self.states = states
        checks = states.map(\.snapshot)
        indexByName = Self.index(states)
        updateStartup()
    }

    /// The state as an immutable snapshot.
    func snapshot() -> HealthSnapshot {
        HealthSnapshot(
            generation: generation, checks: checks, maintenance: maintenance, draining: draining,
            startupComplete: startupComplete, indexByName: indexByName, answersVersion: answersVersion)
    }

    /// Applies one run's result to a scheduled check (unknown names are ignored:
    /// a reload may have removed the check while its run was in flight).
    mutating func record(_ name: String, outcome: Result<Void, CheckFailure>, duration: Duration, now: MonitorTime) -> [HealthEvent] {
        record(name, result: CheckRunResult(outcome), duration: duration, now: now)
    }

    mutating func record(_ name: String, result: CheckRunResult, duration: Duration, now: MonitorTime) -> [HealthEvent] {
        guard let index = indexByName[name], states[index].takesRunResults else { return [] }
        return mutateCheck(at: index) { $0.record(result, duration: duration, now: now) }
    }

    /// The scheduler is alive: its heartbeat check passes.
    mutating func beat(now: MonitorTime) -> [HealthEvent] {
        guard !heartbeatStopped, let index = states.firstIndex(where: \.isHeartbeat) else { return [] }
        return mutateCheck(at: index) { $0.record(CheckRunResult(.pass), duration: .zero, now: now) }
    }

    /// Marks every check whose latest result is too old as stale (down).
    mutating func sweep(now: MonitorTime) -> [HealthEvent] {
        let staleIndices = states.indices.filter { states[$0].isStale(at: now) }
        guard !staleIndices.isEmpty else { return [] }
        let events = mutate { state in
            for index in staleIndices { state.states[index].markStale(now: now) }
        }
        return staleIndices.map { .checkStale(checks[$0]) } + events
    }

    /// Fails or recovers a simulated check, effective at once.
    mutating func setSimulated(_ name: String, failing: Bool, now: WallClockTimestamp) throws(CheckControlError) -> [HealthEvent] {
        guard let index = indexByName[name] else {
            throw CheckControlError.unknownCheck(name, known: states.map(\.name))
        }
        guard let detail = states[index].simulatedDetail else {
            throw CheckControlError.notControllable(name, kind: states[index].snapshot.kind)
        }
        return mutate { $0.states[index].setFlag(failing: failing, detail: detail, now: now) }
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
        guard states.contains(where: \.isHeartbeat) else { return false }
        heartbeatStopped = true
        return true
    }

    /// Switches to the plan's check list (a reload). Checks the plan keeps
    /// keep their state, counters and last result time; new and changed
    /// checks start over; removed checks are dropped. The heartbeat check,
    /// maintenance, draining and startup are kept.
    mutating func apply(_ plan: ReloadPlan, now: MonitorTime) -> [HealthEvent] {
        let previous = states
        let oldIndexByName = indexByName
        return mutate { state in
            var next = plan.checks.map { config in
                plan.keeps(config.name) ? oldIndexByName[config.name].map { previous[$0] } ?? CheckState(config, now: now) : CheckState(config, now: now)
            }
            next += previous.filter(\.isHeartbeat)
            state.states = next
            state.indexByName = Self.index(next)
        }
    }

    /// Applies `change`, bumps the generation and reports what changed.
    private mutating func mutate(_ change: (inout MonitorState) -> Void) -> [HealthEvent] {
        let before = self
        change(&self)
        checks = states.map(\.snapshot)
        updateStartup()
        generation += 1
        // Flags, the check list or several checks: rare, so no finer comparison.
        answersVersion += 1
        return Self.events(from: before, to: self)
    }

    /// ``mutate(_:)`` for a change to the one check at `index` (a result, a
    /// beat): the hot path of the scheduler. Copies only that check, not the
    /// whole state, unless its status changed and probe verdicts must be compared.
    private mutating func mutateCheck(at index: Int, _ change: (inout CheckState) -> Void) -> [HealthEvent] {
        let old = checks[index]
        let wasStarted = startupComplete
        change(&states[index])
        let new = states[index].snapshot
        checks[index] = new
        updateStartup()
        generation += 1
        if !old.judgedAlike(new) || old.reason != new.reason || old.output != new.output || wasStarted != startupComplete {
            answersVersion += 1
        }
        guard old.status != new.status || old.reason != new.reason || wasStarted != startupComplete else {
            return []
        }
        var before = self
        before.checks[index] = old
        before.startupComplete = wasStarted
        return Self.events(from: before, to: self)
    }

    private mutating func updateStartup() {
        if !startupComplete {
            startupComplete = states.allSatisfy { !$0.config.probes.contains(.startup) || $0.snapshot.isUp }
        }
    }

    private static func events(from before: MonitorState, to after: MonitorState) -> [HealthEvent] {
        var events: [HealthEvent] = []
        // By name, not position: a reload may add, remove and reorder checks.
        for new in after.checks {
            guard let oldIndex = before.indexByName[new.name] else { continue }
            let old = before.checks[oldIndex]
            if old.isUp != new.isUp {
                events.append(new.isUp ? .checkUp(new) : .checkDown(new))
                if new.isDegraded { events.append(.checkWarning(new)) }
            } else if new.isDegraded, !old.isDegraded || old.reason != new.reason {
                events.append(.checkWarning(new))
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

    private static func index(_ states: [CheckState]) -> [String: Int] {
        Dictionary(states.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
