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
        // Five runs 50 ms apart cannot take less than four intervals, each moved at most half a slot (6.25 ms) earlier.
        #expect(ContinuousClock.now - started >= .microseconds(175_000))
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

    @Test("first runs begin at once; later runs begin on the scheduler's slot grid, whose phase the jitter draws")
    func runsOnTheGrid() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        // An 800 ms interval has 200 ms slots (wide, so a loaded machine's late wakes stay within half of one);
        // a jitter drawing its whole bound (250 ms) puts the grid at 50 ms past each 200 ms.
        let configs = ["a", "b"].map { CheckConfig(name: $0, kind: .custom, interval: .milliseconds(800), timeout: .seconds(1)) }
        let starts = NIOLockedValueBox<[String: [UInt64]]>([:])
        let drawn = NIOLockedValueBox<[Duration]>([])
        let checks = configs.map { config in
            (config: config, check: ClosureHealthCheck { starts.withLockedValue { $0[config.name, default: []].append(NIODeadline.now().uptimeNanoseconds) } } as any HealthCheck)
        }
        let monitor = HealthMonitor(checks: configs, logger: Self.logger)
        let scheduler = CheckScheduler(
            checks: checks, monitor: monitor, clock: ContinuousClock(), eventLoop: loop,
            jitter: { bound in
                drawn.withLockedValue { $0.append(bound) }
                return bound
            },
            sweepLoop: nil, logger: Self.logger)
        let services = ServiceGroup(services: [scheduler], logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await services.run() }
            try await eventually("four runs of each check") { starts.withLockedValue { $0.values.count == 2 && $0.values.allSatisfy { $0.count >= 4 } } }
            await services.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let slot: UInt64 = 200_000_000
        let phase: UInt64 = 50_000_000
        // One draw, the grid's phase: no first run was spread by a draw of its own.
        #expect(drawn.withLockedValue { $0 } == [.milliseconds(250)])
        for (name, times) in starts.withLockedValue({ $0 }) {
            // The first run is not moved; every later one wakes on a grid point, and a loop is late, never early.
            for time in times.dropFirst() {
                let pastPoint = (time + slot - phase) % slot
                #expect(pastPoint < slot / 2, "\(name) began \(pastPoint / 1_000_000) ms past its grid point")
            }
            // Start to start: the interval, moved by at most half a slot (plus the run itself, here microseconds).
            for (earlier, later) in zip(times.dropFirst(), times.dropFirst(2)) {
                #expect(later - earlier >= 700_000_000, "\(name): \((later - earlier) / 1_000_000) ms between runs")
            }
        }
        try await group.shutdownGracefully()
    }
}
