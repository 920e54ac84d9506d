import Testing

@testable import HealthExporter

@Suite("Monitor state transitions, without I/O")
struct MonitorStateTests {
    let now = TestFixtures.pinnedTime

    @Test("simulated checks start up (or down with startFailing), with no pending period")
    func initialState() {
        let state = MonitorState(
            checks: [TestFixtures.simulated("a"), TestFixtures.simulated("b", detail: "B down", startFailing: true)],
            now: now
        )
        #expect(state.checks.map(\.isUp) == [true, false])
        #expect(state.checks[1].output == "B down")
        #expect(state.checks[1].reason == .simulated)
        #expect(state.checks[0].lastSuccess == now)
        #expect(state.generation == 0)
    }

    @Test("failing a check reports check-down and the readiness transition, once")
    func failEvents() throws {
        var state = MonitorState(checks: TestFixtures.seedChecks, now: now)
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
        var state = MonitorState(checks: TestFixtures.seedChecks, now: now)
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
        var state = MonitorState(checks: TestFixtures.seedChecks, now: now)
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
        var state = MonitorState(checks: [], now: now)
        if startOn { _ = state.setMaintenance(true) }
        let before = state.generation
        let events = state.setMaintenance(!startOn)
        #expect(events.first == .maintenanceChanged(on: !startOn))
        #expect(state.generation == before + 1)
        #expect(state.setMaintenance(!startOn).isEmpty)
    }

    @Test("startup completes when every startup check has passed once, and stays complete")
    func startup() throws {
        var state = MonitorState(checks: [TestFixtures.simulated("warmup", probes: [.startup], startFailing: true)], now: now)
        #expect(!state.startupComplete)
        _ = try state.setSimulated("warmup", failing: false, now: now)
        #expect(state.startupComplete)
        _ = try state.setSimulated("warmup", failing: true, now: now)
        #expect(state.startupComplete)
        #expect(state.snapshot().verdict(for: .startup).status == .pass)
    }
}
