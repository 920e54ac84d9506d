import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Runs checks' short blocking calls (the disk check's `statvfs`, the file
/// check's `stat`) on NIO's thread pool, gathering the calls started in one
/// event-loop turn into one pool job. (A DNS lookup takes milliseconds, not
/// microseconds, and would be charged to the durations of the calls queued
/// behind it: the dns check keeps a pool job of its own.)
///
/// The scheduler fires the runs due at one point of its slot grid in the
/// same loop turn, so 50 disk checks at 1 s started together (one grid
/// point) cost one pool thread wake-up and one hop back to the loop a
/// second instead of one of each per call.
///
/// A call that blocks (a hung NFS mount) must not hold the others up: if a
/// job is still running `handoff` after it was submitted, the results it has
/// are delivered at once, every call it has not begun gets a pool job of
/// its own, and later results go straight back.
///
/// Off an event loop (a test's clock, an embedder's own task) there is no
/// turn to gather in, and each call is its own pool job.
final class BlockingCallBatcher: Sendable {
    /// The batcher the built-in checks use.
    static let shared = BlockingCallBatcher(pool: .singleton)

    /// Runs the blocking call and returns what will resume its caller.
    private typealias Call = @Sendable (_ active: Bool) -> Resume
    private typealias Resume = @Sendable () -> Void

    private let pool: NIOThreadPool
    private let handoff: TimeAmount
    private let pending = NIOLockedValueBox<[Call]>([])

    init(pool: NIOThreadPool, handoff: TimeAmount = .milliseconds(20)) {
        self.pool = pool
        self.handoff = handoff
    }

    /// Runs `body` on the thread pool.
    /// - Throws: `NIOThreadPoolError.ThreadPoolInactive` if the pool has shut down.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            enqueue { active in
                guard active else {
                    return { continuation.resume(throwing: NIOThreadPoolError.ThreadPoolInactive()) }
                }
                let result = body()
                return { continuation.resume(returning: result) }
            }
        }
    }

    private func enqueue(_ call: @escaping Call) {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else {
            Self.submitAlone(call, to: pool)
            return
        }
        let first = pending.withLockedValue { pending in
            pending.append(call)
            return pending.count == 1
        }
        // Runs after the loop's other queued jobs: the rest of the slot's runs.
        if first { loop.execute { self.flush(on: loop) } }
    }

    private func flush(on loop: any EventLoop) {
        let calls = pending.withLockedValue { pending in
            defer { pending = [] }
            return pending
        }
        guard calls.count > 1 else {
            if let call = calls.first { Self.submitAlone(call, to: pool) }
            return
        }
        let batch = Batch(calls)
        let pool = self.pool
        let watchdog = try? loop.scheduleCallback(in: handoff, handler: Handoff(batch: batch, pool: pool))
        pool.submit { state in
            while let call = batch.next() {
                batch.finished(call(state == .active))
            }
            guard let resumes = batch.close() else { return }
            loop.execute {
                watchdog?.cancel()
                for resume in resumes { resume() }
            }
        }
    }

    private static func submitAlone(_ call: @escaping Call, to pool: NIOThreadPool) {
        pool.submit { state in call(state == .active)() }
    }
}

extension BlockingCallBatcher {
    /// The calls of one pool job: those not begun yet, and the results
    /// held back to be delivered together, until the job ends or is handed off.
    private final class Batch: Sendable {
        private struct State {
            var waiting: ArraySlice<Call>
            var results: [Resume] = []
            var closed = false
        }

        private let state: NIOLockedValueBox<State>

        init(_ calls: [Call]) {
            state = NIOLockedValueBox(State(waiting: calls[...]))
        }

        func next() -> Call? {
            state.withLockedValue { $0.waiting.popFirst() }
        }

        /// Holds a result back, or delivers it now if the batch was handed off.
        func finished(_ resume: @escaping Resume) {
            let held = state.withLockedValue { state in
                guard !state.closed else { return false }
                state.results.append(resume)
                return true
            }
            if !held { resume() }
        }

        /// The results to deliver when the job ends; nil if already handed off.
        func close() -> [Resume]? {
            state.withLockedValue { state in
                guard !state.closed else { return nil }
                state.closed = true
                return state.results
            }
        }

        /// Takes the results so far and the calls not begun; nil if the job already ended.
        func handOff() -> (results: [Resume], waiting: ArraySlice<Call>)? {
            state.withLockedValue { state in
                guard !state.closed else { return nil }
                state.closed = true
                defer { state.results = []; state.waiting = [] }
                return (state.results, state.waiting)
            }
        }
    }

    /// Fires `handoff` after a job was submitted, if it is still running.
    private struct Handoff: NIOScheduledCallbackHandler, Sendable {
        let batch: Batch
        let pool: NIOThreadPool

        func handleScheduledCallback(eventLoop: some EventLoop) {
            guard let (results, waiting) = batch.handOff() else { return }
            for resume in results { resume() }
            for call in waiting { BlockingCallBatcher.submitAlone(call, to: pool) }
        }
    }
}
