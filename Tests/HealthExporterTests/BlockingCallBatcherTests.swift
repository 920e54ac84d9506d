import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import HealthExporter

/// ``BlockingCallBatcher`` on a real event loop and a real NIO thread pool:
/// calls started in one loop turn run as one pool job; a call that blocks
/// holds the others up by no more than the hand-off.
@Suite("Blocking calls: one pool job per loop turn, and a hung call hands the rest off")
struct BlockingCallBatcherTests {
    /// What each call saw: its pool thread, and how many calls ran at once.
    final class Record: Sendable {
        private let state = NIOLockedValueBox<(threads: Set<UInt>, running: Int, mostAtOnce: Int)>(([], 0, 0))

        func enter() {
            state.withLockedValue { state in
                state.threads.insert(UInt(pthread_self()))
                state.running += 1
                state.mostAtOnce = max(state.mostAtOnce, state.running)
            }
        }

        func leave() { state.withLockedValue { $0.running -= 1 } }
        var threads: Int { state.withLockedValue { $0.threads.count } }
        var mostAtOnce: Int { state.withLockedValue { $0.mostAtOnce } }
    }

    /// Starts `count` calls as the scheduler starts a slot's runs: tasks
    /// created in one loop turn, executing on that loop.
    static func startInOneTurn<T: Sendable>(
        _ count: Int, on loop: any EventLoop, _ body: @escaping @Sendable (Int) async throws -> T
    ) async throws -> [Task<T, any Error>] {
        try await loop.submit {
            (0..<count).map { index in
                Task(executorPreference: EventLoopTaskExecutor(loop: loop)) { try await body(index) }
            }
        }.get()
    }

    /// A one-thread event loop group and a four-thread pool, shut down after `body`.
    static func withLoopAndPool(_ body: (any EventLoop, NIOThreadPool) async throws -> Void) async throws {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var failure: (any Error)?
        do { try await body(group.next(), pool) } catch { failure = error }
        try await group.shutdownGracefully()
        try await pool.shutdownGracefully()
        if let failure { throw failure }
    }

    @Test("five calls started in one loop turn run one after another on one pool thread, though the pool has four")
    func oneJobPerTurn() async throws {
        try await Self.withLoopAndPool { loop, pool in
            let batcher = BlockingCallBatcher(pool: pool, handoff: .seconds(10))
            let record = Record()
            let tasks = try await Self.startInOneTurn(5, on: loop) { index in
                try await batcher.run { () -> Int in
                    record.enter()
                    usleep(2_000)
                    record.leave()
                    return index * 10
                }
            }
            var results: [Int] = []
            for task in tasks { results.append(try await task.value) }
            #expect(results == [0, 10, 20, 30, 40])
            #expect(record.threads == 1)
            #expect(record.mostAtOnce == 1)
        }
    }

    @Test("the same five calls without a loop (as from a test clock's task) are five pool jobs, run side by side")
    func offLoopCallsRunAlone() async throws {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        let batcher = BlockingCallBatcher(pool: pool)
        let record = Record()
        let started = NIOLockedValueBox(0)
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<4 {
                group.addTask {
                    try await batcher.run { () -> Int in
                        record.enter()
                        started.withLockedValue { $0 += 1 }
                        // Wait (bounded) until all four are in: only separate jobs can be.
                        for _ in 0..<2_000 where started.withLockedValue({ $0 }) < 4 { usleep(1_000) }
                        record.leave()
                        return index
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.sorted() == [0, 1, 2, 3])
        #expect(record.mostAtOnce == 4)
        try await pool.shutdownGracefully()
    }

    @Test("a call that blocks (a hung mount) delays the others of its turn by the hand-off only; it finishes when it unblocks")
    func hungCallHandsOff() async throws {
        try await Self.withLoopAndPool { loop, pool in
            let batcher = BlockingCallBatcher(pool: pool, handoff: .milliseconds(50))
            let hung = ConditionLock(value: false)
            let returned = NIOLockedValueBox(false)
            let clock = ContinuousClock()
            let start = clock.now
            // The second call hangs: the first has finished (its result is held
            // back), the last three have not begun.
            let tasks = try await Self.startInOneTurn(5, on: loop) { index in
                try await batcher.run { () -> Int in
                    if index == 1 {
                        hung.lock(whenValue: true)
                        hung.unlock()
                        returned.withLockedValue { $0 = true }
                    }
                    return index
                }
            }
            // Unblocks it after 10 s in any case, so a broken hand-off fails below instead of hanging.
            let fallback = Task {
                try? await Task.sleep(for: .seconds(10))
                hung.lock()
                hung.unlock(withValue: true)
            }
            for index in [0, 2, 3, 4] {
                #expect(try await tasks[index].value == index)
            }
            let others = start.duration(to: clock.now)
            #expect(others >= .milliseconds(50), "delivered at the hand-off, not before: \(others)")
            // By order, not by a time bound (a loaded machine stalls for hundreds of milliseconds):
            // the others arrived while the hung call still blocked.
            #expect(!returned.withLockedValue { $0 }, "not held until the hung call ends: \(others)")
            #expect(others < .seconds(10), "not held until the fallback unblocked it: \(others)")
            hung.lock()
            hung.unlock(withValue: true)
            #expect(try await tasks[1].value == 1)
            #expect(returned.withLockedValue { $0 }, "the hung call ends when it unblocks")
            fallback.cancel()
            await fallback.value
        }
    }

    @Test("a pool that has shut down: the call throws ThreadPoolInactive, on a loop or off it")
    func inactivePool() async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        try await pool.shutdownGracefully()
        let batcher = BlockingCallBatcher(pool: pool)
        await #expect(throws: NIOThreadPoolError.ThreadPoolInactive.self) {
            try await batcher.run { 1 }
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let tasks = try await Self.startInOneTurn(2, on: group.next()) { _ in try await batcher.run { 1 } }
        for task in tasks {
            await #expect(throws: NIOThreadPoolError.ThreadPoolInactive.self) { try await task.value }
        }
        try await group.shutdownGracefully()
    }
}
