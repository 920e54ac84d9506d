import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import Testing

@testable import HealthExporter

@Suite("Check scheduler with a hand-driven clock", .timeLimit(.minutes(1)))
struct CheckSchedulerTests {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private static func config(_ name: String, interval: Duration = .seconds(10), timeout: Duration = .seconds(2), failureThreshold: Int = 1) -> CheckConfig {
        CheckConfig(
            name: name, kind: .tcp(address: HostPort(host: "127.0.0.1", port: 1)),
            interval: interval, timeout: timeout, failureThreshold: failureThreshold, successThreshold: 1)
    }

    /// Counts runs and lets the test decide how each one ends.
    final class ScriptedCheck: HealthCheck, Sendable {
        enum Behaviour: Sendable { case pass, fail, hang, hangIgnoringCancellation }
        private let state = NIOLockedValueBox((runs: 0, behaviour: Behaviour.pass, release: [CheckedContinuation<Void, Never>]()))

        var runs: Int { state.withLockedValue { $0.runs } }
        func set(_ behaviour: Behaviour) { state.withLockedValue { $0.behaviour = behaviour } }

        /// Lets runs that ignore cancellation finish.
        func release() {
            let waiting = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
                defer { state.release = [] }
                return state.release
            }
            waiting.forEach { $0.resume() }
        }

        func run() async throws {
            let behaviour = state.withLockedValue { state -> Behaviour in
                state.runs += 1
                return state.behaviour
            }
            switch behaviour {
            case .pass: return
            case .fail: throw CheckFailure(.refused, "scripted refusal")
            case .hang: try await Task.sleep(for: .seconds(3600))
            case .hangIgnoringCancellation:
                await withCheckedContinuation { continuation in state.withLockedValue { $0.release.append(continuation) } }
            }
        }
    }

    private func withScheduler(
        _ configs: [CheckConfig], _ checks: [any HealthCheck], clock: TestClock,
        _ body: (HealthMonitor, CheckScheduler<TestClock>) async throws -> Void
    ) async throws {
        let monitor = HealthMonitor(checks: configs, logger: Self.logger)
        let scheduler = CheckScheduler(
            checks: Array(zip(configs, checks)).map { (config: $0.0, check: $0.1) },
            monitor: monitor, clock: clock, jitter: { _ in .zero }, sweepLoop: nil, logger: Self.logger)
        let group = ServiceGroup(services: [scheduler], logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body(monitor, scheduler)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("one run per interval, and the result reaches the snapshot")
    func intervals() async throws {
        let clock = TestClock()
        let check = ScriptedCheck()
        try await withScheduler([Self.config("a")], [check], clock: clock) { monitor, _ in
            try await eventually("first result") { monitor.snapshot.check(named: "a")?.isUp == true }
            #expect(check.runs == 1)
            for expected in 2...4 {
                try await clock.waitForSleepers(2)  // heartbeat and the loop's interval sleep
                clock.advance(by: .seconds(9))
                try await Task.sleep(for: .milliseconds(10))
                #expect(check.runs == expected - 1, "not before the interval")
                clock.advance(by: .seconds(1))
                try await eventually("run \(expected)") { check.runs == expected }
                try await eventually("result \(expected)") { monitor.snapshot.check(named: "a")?.consecutiveSuccesses == expected }
            }
        }
    }

    @Test("a hung run is recorded as timeout when the timeout fires, and cancelled")
    func timeout() async throws {
        let clock = TestClock()
        let check = ScriptedCheck()
        check.set(.hang)
        try await withScheduler([Self.config("slow", timeout: .seconds(2))], [check], clock: clock) { monitor, _ in
            try await eventually("the run to start") { check.runs == 1 }
            try await clock.waitForSleepers(2)  // heartbeat and the run's timeout
            #expect(monitor.snapshot.check(named: "slow")?.reason == .pending)
            clock.advance(by: .seconds(2))
            try await eventually("the timeout") { monitor.snapshot.check(named: "slow")?.reason == .timeout }
            let snapshot = try #require(monitor.snapshot.check(named: "slow"))
            #expect(snapshot.output == "slow: no answer within 2s")
            #expect(snapshot.lastDuration == .seconds(2))
            // Cancelled: the loop goes on to its next interval and runs again.
            try await clock.waitForSleepers(2)
            clock.advance(by: .seconds(10))
            try await eventually("the second run") { check.runs == 2 }
        }
    }

    @Test("single-flight: a run that ignores cancellation blocks the next one until it ends")
    func singleFlight() async throws {
        let clock = TestClock()
        let check = ScriptedCheck()
        check.set(.hangIgnoringCancellation)
        defer { check.release() }
        try await withScheduler([Self.config("stuck", interval: .seconds(1), timeout: .milliseconds(500))], [check], clock: clock) { monitor, _ in
            try await eventually("the run to start") { check.runs == 1 }
            try await clock.waitForSleepers(2)
            clock.advance(by: .milliseconds(500))
            // Recorded at the timeout even though the run has not ended.
            try await eventually("the timeout") { monitor.snapshot.check(named: "stuck")?.reason == .timeout }
            for _ in 0..<5 {
                clock.advance(by: .seconds(1))
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(check.runs == 1, "no second run while the first is in flight")
            check.set(.pass)
            check.release()
            try await clock.waitForSleepers(2)
            clock.advance(by: .seconds(2))
            try await eventually("the second run") { check.runs == 2 }
            try await eventually("its result") { monitor.snapshot.check(named: "stuck")?.isUp == true }
        }
    }

    @Test("failures count toward failureThreshold across runs; the check goes down on the threshold")
    func thresholdsAcrossRuns() async throws {
        let clock = TestClock()
        let check = ScriptedCheck()
        try await withScheduler([Self.config("flaky", failureThreshold: 3)], [check], clock: clock) { monitor, _ in
            try await eventually("first result") { monitor.snapshot.check(named: "flaky")?.isUp == true }
            check.set(.fail)
            for run in 1...3 {
                try await clock.waitForSleepers(2)
                clock.advance(by: .seconds(10))
                try await eventually("failure \(run)") { monitor.snapshot.check(named: "flaky")?.consecutiveFailures == run }
                #expect(monitor.snapshot.check(named: "flaky")?.isUp == (run < 3), "after \(run) failure(s)")
            }
            #expect(monitor.snapshot.check(named: "flaky")?.reason == .refused)
        }
    }

    @Test("a reconfiguration stops removed and changed loops, starts new ones, and leaves unchanged loops running")
    func reconfigure() async throws {
        let clock = TestClock()
        let kept = ScriptedCheck()
        let removed = ScriptedCheck()
        let changedOld = ScriptedCheck()
        let changedNew = ScriptedCheck()
        let added = ScriptedCheck()
        let configs = [Self.config("kept"), Self.config("removed"), Self.config("changed")]
        try await withScheduler(configs, [kept, removed, changedOld], clock: clock) { monitor, scheduler in
            // Results recorded, so every sleeper counted below is an interval, not a run's timeout.
            try await eventually("first round") { monitor.snapshot.checks.allSatisfy { $0.lastResult != nil } }
            try await clock.waitForSleepers(4)

            let changed = Self.config("changed", interval: .seconds(20))
            let newConfigs = [Self.config("kept"), changed, Self.config("added")]
            let plan = ReloadPlan(from: configs, to: newConfigs)
            await scheduler.apply(plan, started: [(changed, changedNew), (newConfigs[2], added)])
            #expect(monitor.snapshot.checks.map(\.name) == ["kept", "changed", "added"])
            try await eventually("new loops' first results") {
                ["changed", "added"].allSatisfy { monitor.snapshot.check(named: $0)?.lastResult != nil }
            }
            #expect(changedNew.runs == 1 && added.runs == 1)
            #expect(monitor.snapshot.check(named: "kept")?.consecutiveSuccesses == 1, "unchanged: its result survived")

            try await clock.waitForSleepers(4)  // heartbeat, kept, changed, added
            clock.advance(by: .seconds(10))
            try await eventually("kept's second run, on its old schedule") { kept.runs == 2 }
            try await eventually("added's second run") { added.runs == 2 }
            try await Task.sleep(for: .milliseconds(20))
            #expect(removed.runs == 1, "the removed loop stopped")
            #expect(changedOld.runs == 1, "the changed check's old loop stopped")
            #expect(changedNew.runs == 1, "the changed check runs on its new 20 s interval")
        }
    }
}
