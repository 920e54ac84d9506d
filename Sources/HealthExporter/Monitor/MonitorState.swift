import Telemetry

/// Everything the monitor knows, as a plain value: mutations return the events
/// they caused, so the rules are testable without threads, clocks or I/O.
struct MonitorState: Sendable {
    private(set) var checks: [CheckSnapshot]
    private(set) var simulatedDetails: [String: String?]
    private(set) var maintenance = false
    private(set) var draining = false
    private(set) var startupComplete = false
    private(set) var generation: UInt64 = 0

    init(checks configs: [CheckConfig], now: WallClockTimestamp) {
        var details: [String: String?] = [:]
        checks = configs.map { config in
            switch config.kind {
            case .simulated(let options):
                details[config.name] = options.detail
                // A simulated flag's state is known at once: no pending period.
                return CheckSnapshot(
                    name: config.name,
                    kind: config.kind.name,
                    probes: config.probes,
                    critical: config.critical,
                    isUp: !options.startFailing,
                    reason: options.startFailing ? .simulated : nil,
                    output: options.startFailing ? (options.detail ?? "simulated failure") : nil,
                    lastSuccess: options.startFailing ? nil : now,
                    consecutiveFailures: options.startFailing ? 1 : 0,
                    consecutiveSuccesses: options.startFailing ? 0 : 1
                )
            }
        }
        simulatedDetails = details
        updateStartup()
    }

    /// The state as an immutable snapshot.
    func snapshot() -> HealthSnapshot {
        HealthSnapshot(
            generation: generation,
            checks: checks,
            maintenance: maintenance,
            draining: draining,
            startupComplete: startupComplete
        )
    }

    /// Fails or recovers a simulated check. Takes effect at once: a simulated
    /// flag has no thresholds, since the drill's point is the flip itself.
    mutating func setSimulated(_ name: String, failing: Bool, now: WallClockTimestamp) throws(CheckControlError) -> [HealthEvent] {
        guard let index = checks.firstIndex(where: { $0.name == name }) else {
            throw CheckControlError.unknownCheck(name, known: checks.map(\.name))
        }
        guard let detail = simulatedDetails[name] else {
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

    /// Applies `change`, bumps the generation and reports what changed.
    private mutating func mutate(_ change: (inout MonitorState) -> Void) -> [HealthEvent] {
        let before = self
        change(&self)
        updateStartup()
        generation += 1
        return Self.events(from: before, to: self)
    }

    private mutating func updateStartup() {
        if !startupComplete {
            startupComplete = checks.allSatisfy { !$0.probes.contains(.startup) || $0.isUp }
        }
    }

    private static func events(from before: MonitorState, to after: MonitorState) -> [HealthEvent] {
        var events: [HealthEvent] = []
        for (old, new) in zip(before.checks, after.checks) where old.isUp != new.isUp {
            events.append(new.isUp ? .checkUp(new) : .checkDown(new))
        }
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
}
