import Telemetry
import Testing

@testable import HealthExporter

@Suite("Monitor state transitions, without I/O")
struct MonitorStateTests {
    let now = TestFixtures.pinnedTime

    @Test("simulated checks start up (or down with startFailing), with no pending period")
    func initialState() {
        let state = MonitorState(checks: [TestFixtures.simulated("a"), TestFixtures.simulated("b", detail: "B down", startFailing: true)], now: MonitorTime(wall: now, uptime: .zero))
        #expect(state.checks.map(\.isUp) == [true, false])
        #expect(state.checks[1].output == "B down")
        #expect(state.checks[1].reason == .simulated)
        #expect(state.checks[0].lastSuccess == now)
        #expect(state.generation == 0)
    }

    @Test("failing a check reports check-down and the readiness transition, once")
    func failEvents() throws {
        var state = MonitorState(checks: TestFixtures.seedChecks, now: MonitorTime(wall: now, uptime: .zero))
        let events = try state.setSimulated("database", failing: true, now: now)
        #expect(events.count == 2)
        guard case .checkDown(let check) = events.first, case .probeChanged(let verdict) = events.last else {
            Issue.record("unexpected events \(events)")
            return
        }
        #expect(check.name == "database")
        #expect(check.output == "Database not available")
        #expect(verdict.probe == .readiness)
        #expect(verdict.status == .fail)
        #expect(state.generation == 1)

        // Failing the other check changes no probe: readiness is already failing.
        let second = try state.setSimulated("external-service", failing: true, now: now)
        #expect(second.count == 1)
        // Failing again is not a transition, but counts the failure.
        #expect(try state.setSimulated("database", failing: true, now: now).isEmpty)
        #expect(state.checks[0].consecutiveFailures == 2)
    }

    @Test("recovering reports check-up; readiness returns only when every check is up")
    func recoverEvents() throws {
        var state = MonitorState(checks: TestFixtures.seedChecks, now: MonitorTime(wall: now, uptime: .zero))
        _ = try state.setSimulated("database", failing: true, now: now)
        _ = try state.setSimulated("external-service", failing: true, now: now)
        let first = try state.setSimulated("database", failing: false, now: now)
        #expect(first.count == 1)
        let second = try state.setSimulated("external-service", failing: false, now: now)
        #expect(second.count == 2)
        #expect(state.snapshot().verdict(for: .readiness).status == .pass)
    }

    @Test("an unknown check is refused with the names that exist")
    func unknownCheck() {
        var state = MonitorState(checks: TestFixtures.seedChecks, now: MonitorTime(wall: now, uptime: .zero))
        #expect(throws: CheckControlError.self) { try state.setSimulated("cache", failing: true, now: now) }
        do {
            _ = try state.setSimulated("cache", failing: true, now: now)
        } catch {
            #expect(error.code == .unknownCheck)
            #expect(error.message == #"no check named "cache" (configured: database, external-service)"#)
        }
    }

    @Test("maintenance toggles once each way and bumps the generation", arguments: [true, false])
    func maintenance(startOn: Bool) {
        var state = MonitorState(checks: [], now: MonitorTime(wall: now, uptime: .zero))
        if startOn { _ = state.setMaintenance(true) }
        let before = state.generation
        let events = state.setMaintenance(!startOn)
        #expect(events.first == .maintenanceChanged(on: !startOn))
        #expect(state.generation == before + 1)
        #expect(state.setMaintenance(!startOn).isEmpty)
    }

    @Test("startup completes when every startup check has passed once, and stays complete")
    func startup() throws {
        var state = MonitorState(checks: [TestFixtures.simulated("warmup", probes: [.startup], startFailing: true)], now: MonitorTime(wall: now, uptime: .zero))
        #expect(!state.startupComplete)
        _ = try state.setSimulated("warmup", failing: false, now: now)
        #expect(state.startupComplete)
        _ = try state.setSimulated("warmup", failing: true, now: now)
        #expect(state.startupComplete)
        #expect(state.snapshot().verdict(for: .startup).status == .pass)
    }

    // MARK: scheduled checks

    private static let tcp = CheckConfig(
        name: "cache", kind: .tcp(address: HostPort(host: "127.0.0.1", port: 6379)),
        interval: .seconds(10), timeout: .seconds(2), failureThreshold: 3, successThreshold: 2)

    private func time(_ seconds: Int64) -> MonitorTime {
        MonitorTime(wall: WallClockTimestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch + seconds * 1_000_000_000), uptime: .seconds(seconds))
    }

    private static let refused = Result<Void, CheckFailure>.failure(CheckFailure(.refused, "connect to 127.0.0.1:6379: connection refused"))

    @Test("a scheduled check is pending (down) until its first result")
    func pending() {
        let state = MonitorState(checks: [Self.tcp], now: time(0))
        #expect(state.checks[0].isUp == false)
        #expect(state.checks[0].reason == .pending)
        #expect(state.snapshot().verdict(for: .readiness).status == .fail)
    }

    @Test("up after successThreshold successes; a first failure reports the check down with its reason")
    func firstResults() {
        var state = MonitorState(checks: [Self.tcp], now: time(0))
        #expect(state.record("cache", outcome: .success(()), duration: .milliseconds(1), now: time(1)).isEmpty)
        #expect(!state.checks[0].isUp, "successThreshold is 2")
        let events = state.record("cache", outcome: .success(()), duration: .milliseconds(1), now: time(11))
        #expect(state.checks[0].isUp)
        #expect(events.contains { if case .checkUp = $0 { return true } else { return false } })

        var failing = MonitorState(checks: [Self.tcp], now: time(0))
        let down = failing.record("cache", outcome: Self.refused, duration: .milliseconds(1), now: time(1))
        #expect(down.contains { if case .checkDown(let c) = $0 { return c.reason == .refused } else { return false } })
    }

    @Test("an up check goes down only after failureThreshold consecutive failures", arguments: [1, 2, 3, 4])
    func failureThreshold(failures: Int) {
        var state = MonitorState(checks: [Self.tcp], now: time(0))
        _ = state.record("cache", outcome: .success(()), duration: .zero, now: time(1))
        _ = state.record("cache", outcome: .success(()), duration: .zero, now: time(2))
        for index in 0..<failures {
            _ = state.record("cache", outcome: Self.refused, duration: .zero, now: time(3 + Int64(index)))
        }
        #expect(state.checks[0].isUp == (failures < 3))
        #expect(state.checks[0].reason == .refused, "the latest failure's reason shows even within threshold")
        #expect(state.checks[0].consecutiveFailures == failures)
    }

    @Test("a success between failures resets the count: no flapping from isolated failures")
    func damping() {
        var state = MonitorState(checks: [Self.tcp], now: time(0))
        _ = state.record("cache", outcome: .success(()), duration: .zero, now: time(1))
        _ = state.record("cache", outcome: .success(()), duration: .zero, now: time(2))
        for second in Int64(3)..<13 {
            let outcome: Result<Void, CheckFailure> = second.isMultiple(of: 3) ? .success(()) : Self.refused
            _ = state.record("cache", outcome: outcome, duration: .zero, now: time(second))
        }
        #expect(state.checks[0].isUp)
    }

    @Test("a result older than three intervals plus the timeout turns stale once, and a fresh result clears it")
    func staleness() {
        var state = MonitorState(checks: [Self.tcp], now: time(0))
        _ = state.record("cache", outcome: .success(()), duration: .zero, now: time(1))
        _ = state.record("cache", outcome: .success(()), duration: .zero, now: time(2))
        #expect(state.sweep(now: time(2 + 32)).isEmpty, "32s is exactly 3 × 10s + 2s: not yet stale")
        let events = state.sweep(now: time(2 + 33))
        #expect(events.first.map { if case .checkStale = $0 { return true } else { return false } } == true)
        #expect(events.contains { if case .checkDown = $0 { return true } else { return false } })
        #expect(state.checks[0].reason == .stale)
        #expect(state.sweep(now: time(60)).isEmpty, "counted once, not on every sweep")
        _ = state.record("cache", outcome: .success(()), duration: .zero, now: time(61))
        _ = state.record("cache", outcome: .success(()), duration: .zero, now: time(62))
        #expect(state.checks[0].isUp)
    }

    @Test("the scheduler's heartbeat is a liveness check that fails when beats stop")
    func heartbeat() {
        var state = MonitorState(checks: [Self.tcp], heartbeatTimeout: .seconds(5), now: time(0))
        #expect(state.snapshot().verdict(for: .liveness).status == .pass)
        _ = state.beat(now: time(4))
        #expect(state.sweep(now: time(9)).isEmpty)
        let events = state.sweep(now: time(10))
        #expect(!events.isEmpty)
        let liveness = state.snapshot().verdict(for: .liveness)
        #expect(liveness.status == .fail)
        #expect(liveness.checks.first?.name == "scheduler")
        _ = state.beat(now: time(11))
        #expect(state.snapshot().verdict(for: .liveness).status == .pass)
    }

    @Test("results for unknown or simulated checks are ignored")
    func ignoredResults() {
        var state = MonitorState(checks: [TestFixtures.simulated("database")], now: time(0))
        #expect(state.record("database", outcome: Self.refused, duration: .zero, now: time(1)).isEmpty)
        #expect(state.record("gone", outcome: Self.refused, duration: .zero, now: time(1)).isEmpty)
        #expect(state.checks[0].isUp)
        #expect(state.sweep(now: time(10_000)).isEmpty, "simulated checks never go stale")
    }

    @Test("draining fails readiness with reason draining for good; liveness and startup are untouched")
    func draining() {
        var state = MonitorState(checks: TestFixtures.seedChecks, now: time(0))
        let events = state.startDraining()
        #expect(events.contains { if case .probeChanged(let verdict) = $0 { verdict.probe == .readiness } else { false } })
        let snapshot = state.snapshot()
        #expect(snapshot.verdict(for: .readiness).reason == .draining)
        #expect(snapshot.verdict(for: .liveness).status == .pass)
        #expect(state.startDraining().isEmpty, "draining twice is no change")
        _ = state.setMaintenance(false)
        #expect(state.snapshot().verdict(for: .readiness).status == .fail)
    }

    @Test("after the heartbeat test hook, beats are ignored and liveness goes stale")
    func stoppedHeartbeat() {
        var state = MonitorState(checks: [Self.tcp], heartbeatTimeout: .seconds(5), now: time(0))
        let stopped = state.stopHeartbeat()
        #expect(stopped)
        #expect(state.beat(now: time(4)).isEmpty)
        _ = state.sweep(now: time(6))
        #expect(state.snapshot().verdict(for: .liveness).status == .fail)
        var noHeartbeat = MonitorState(checks: [Self.tcp], now: time(0))
        let stoppedNothing = noHeartbeat.stopHeartbeat()
        #expect(!stoppedNothing, "nothing to stop without a heartbeat check")
    }

    @Test("a reconfiguration keeps unchanged checks' state, restarts changed ones, drops removed ones")
    func reconfigure() throws {
        let kept = TestFixtures.simulated("database")
        let changing = CheckConfig(name: "cache", kind: .tcp(address: HostPort(host: "127.0.0.1", port: 6379)), failureThreshold: 3)
        let removed = TestFixtures.simulated("external-service")
        var state = MonitorState(checks: [kept, changing, removed], heartbeatTimeout: .seconds(5), now: time(0))
        _ = try state.setSimulated("database", failing: true, now: TestFixtures.pinnedTime)
        _ = state.record("cache", outcome: .success(()), duration: .zero, now: time(1))
        #expect(state.checks[1].isUp)
        _ = state.stopHeartbeat()
        let generation = state.generation

        var changed = changing
        changed.failureThreshold = 1
        let added = TestFixtures.simulated("queue")
        _ = state.apply(ReloadPlan(from: [kept, changing, removed], to: [added, changed, kept]), now: time(2))

        #expect(state.checks.map(\.name) == ["queue", "cache", "database", "scheduler"])
        #expect(state.generation > generation)
        let database = try #require(state.snapshot().check(named: "database"))
        #expect(!database.isUp && database.reason == .simulated && database.consecutiveFailures == 1, "unchanged: state survives")
        let cache = try #require(state.snapshot().check(named: "cache"))
        #expect(!cache.isUp && cache.reason == .pending, "changed: starts over")
        #expect(state.snapshot().check(named: "external-service") == nil)
        #expect(state.snapshot().check(named: "queue")?.isUp == true)
        // The new threshold applies: one failure is enough now.
        _ = state.record("cache", outcome: .success(()), duration: .zero, now: time(3))
        _ = state.record("cache", outcome: Self.refused, duration: .zero, now: time(4))
        #expect(state.snapshot().check(named: "cache")?.isUp == false)
        // The heartbeat check and its stopped hook survive too.
        #expect(state.beat(now: time(5)).isEmpty)
    }

    @Test("a reconfiguration reports transitions by name, even when checks move")
    func reconfigureEvents() throws {
        var state = MonitorState(checks: TestFixtures.seedChecks, now: time(0))
        _ = try state.setSimulated("database", failing: true, now: TestFixtures.pinnedTime)
        let events = state.apply(ReloadPlan(from: TestFixtures.seedChecks, to: [TestFixtures.seedChecks[1]]), now: time(1))
        // Only the failing check went away: readiness recovers, and no check changed state.
        #expect(events.count == 1)
        guard case .probeChanged(let verdict) = events.first else {
            Issue.record("unexpected events \(events)")
            return
        }
        #expect(verdict.probe == .readiness && verdict.status == .pass)
    }

    @Test("the stored check list is every state's snapshot after each kind of change: result, beat, sweep, flag, maintenance, reload")
    func checkListFollowsStates() throws {
        var state = MonitorState(checks: [Self.tcp] + TestFixtures.seedChecks, heartbeatTimeout: .seconds(5), now: time(0))
        func expectInStep(_ step: String) {
            #expect(state.checks == state.states.map(\.snapshot), "after \(step)")
            #expect(state.snapshot().checks == state.checks, "after \(step)")
        }
        expectInStep("init")
        _ = state.record("cache", outcome: .success(()), duration: .milliseconds(3), now: time(1))
        expectInStep("a success")
        _ = state.record("cache", outcome: Self.refused, duration: .milliseconds(2), now: time(2))
        expectInStep("a failure")
        _ = state.beat(now: time(2))
        expectInStep("a beat")
        _ = state.sweep(now: time(60))
        #expect(state.checks.contains { $0.reason == .stale })
        expectInStep("a sweep that marks stale")
        _ = try state.setSimulated("database", failing: true, now: time(61).wall)
        expectInStep("a flag")
        _ = state.setMaintenance(true)
        expectInStep("maintenance")
        let configs = [Self.tcp] + TestFixtures.seedChecks
        _ = state.apply(ReloadPlan(from: configs, to: Array(configs.dropFirst())), now: time(62))
        #expect(!state.checks.contains { $0.name == "cache" })
        expectInStep("a reload")
    }
}
