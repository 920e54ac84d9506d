import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing

@testable import HealthExporter

@Suite("Check scheduler in real time: NIO timers and runs on one event loop", .timeLimit(.minutes(1)))
struct CheckSchedulerEventLoopTests {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Notes where and how often it runs; hangs when told to.
    final class LoopCheck: HealthCheck, Sendable {
        private let state = NIOLockedValueBox((runs: 0, offLoop: 0, hang: false))
        private let loop: any EventLoop

        init(loop: any EventLoop, hang: Bool = false) {
            self.loop = loop
            state.withLockedValue { $0.hang = hang }
        }

        var runs: Int { state.withLockedValue { $0.runs } }
        var offLoop: Int { state.withLockedValue { $0.offLoop } }

        func run() async throws {
            let hang = state.withLockedValue { state -> Bool in
                state.runs += 1
                if !loop.inEventLoop { state.offLoop += 1 }
                return state.hang
            }
            if hang { try await Task.sleep(for: .seconds(3600)) }
            // After a suspension the run is back on the loop, not on Swift's pool.
            try await Task.sleep(for: .milliseconds(1))
            if !loop.inEventLoop { state.withLockedValue { $0.offLoop += 1 } }
        }
    }

    @Test("runs every interval on the scheduler's event loop; a hung run times out once per run and the schedule goes on")
    func realTime() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let fast = CheckConfig(name: "fast", kind: .custom, interval: .milliseconds(50), timeout: .seconds(1))
        let hung = CheckConfig(name: "hung", kind: .custom, interval: .milliseconds(50), timeout: .milliseconds(100))
        let fastCheck = LoopCheck(loop: loop)
        let hungCheck = LoopCheck(loop: loop, hang: true)
        let monitor = HealthMonitor(checks: [fast, hung], logger: Self.logger)
        let runs = NIOLockedValueBox<[String: Int]>([:])
        monitor.subscribe(RunCounter(runs: runs))
        let scheduler = CheckScheduler(
            checks: [(fast, fastCheck), (hung, hungCheck)], monitor: monitor, clock: ContinuousClock(), eventLoop: loop,
            sweepLoop: nil, logger: Self.logger)
        let services = ServiceGroup(services: [scheduler], logger: Self.logger)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await services.run() }
            try await eventually("five runs of the fast check") { fastCheck.runs >= 5 }
            try await eventually("two timeouts of the hung check") { hungCheck.runs >= 2 && monitor.snapshot.check(named: "hung")?.reason == .timeout }
            await services.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(fastCheck.offLoop == 0, "every run started and resumed on the scheduler's loop")
        #expect(monitor.snapshot.check(named: "fast")?.isUp == true)
        // Five runs 50 ms apart cannot take less than four intervals.
        #expect(ContinuousClock.now - started >= .milliseconds(200))
        // Each hung run is recorded once, by its timeout; the next run starts only after the cancelled one ended.
        let recorded = runs.withLockedValue { $0["hung"] ?? 0 }
        #expect(recorded == hungCheck.runs || recorded == hungCheck.runs - 1, "recorded \(recorded) of \(hungCheck.runs) runs")
        try await group.shutdownGracefully()
    }

    private struct RunCounter: HealthObserver {
        let runs: NIOLockedValueBox<[String: Int]>

        func observe(_ update: HealthUpdate) {
            guard let run = update.run else { return }
            runs.withLockedValue { $0[run.check, default: 0] += 1 }
        }
    }

    @Test("between runs, wake-ups are rounded up to the slot, so runs due together share one; never earlier")
    func coalescing() {
        typealias Timers = SchedulerTimers<ContinuousClock>
        let slot = Duration.milliseconds(100)
        #expect(Timers.coalesced(.uptimeNanoseconds(1_000_000_001), slot: slot) == .uptimeNanoseconds(1_100_000_000))
        #expect(Timers.coalesced(.uptimeNanoseconds(1_099_999_999), slot: slot) == .uptimeNanoseconds(1_100_000_000))
        #expect(Timers.coalesced(.uptimeNanoseconds(1_100_000_000), slot: slot) == .uptimeNanoseconds(1_100_000_000))
        #expect(Timers.coalesced(.uptimeNanoseconds(1_000_000_001), slot: .zero) == .uptimeNanoseconds(1_000_000_001))
    }
}
