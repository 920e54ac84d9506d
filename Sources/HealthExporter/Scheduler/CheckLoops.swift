import NIOConcurrencyHelpers

/// The schedule of each check, by name: its next wake-up or its run in
/// flight, so a reload can stop some checks and start others while the rest
/// run on.
///
/// A check is either waiting (a ``ScheduledWake``) or running (a task);
/// never both, so a run is never started while the previous one is in flight.
/// Guarded by a lock, not an actor: timer callbacks on an event loop read
/// and change it synchronously.
final class CheckLoops: Sendable {
    private struct Loop {
        let generation: Int
        var wake: ScheduledWake?
        var run: Task<Void, Never>?
    }

    private struct State {
        var loops: [String: Loop] = [:]
        var nextGeneration = 0
        var closed = false
    }

    private let state = NIOLockedValueBox(State())

    /// Registers a loop for `name`, unless the scheduler has stopped or one exists.
    /// - Returns: The loop's generation (it tells a stopped loop's late
    ///   callbacks from a new loop of the same name), or nil.
    func start(_ name: String) -> Int? {
        state.withLockedValue { state in
            guard !state.closed, state.loops[name] == nil else { return nil }
            state.nextGeneration += 1
            state.loops[name] = Loop(generation: state.nextGeneration)
            return state.nextGeneration
        }
    }

    /// Schedules the loop's next wake-up with `makeWake`, under the lock so
    /// the wake is registered before it can fire; nothing when the loop was stopped.
    func waiting(_ name: String, generation: Int, _ makeWake: () -> ScheduledWake) {
        state.withLockedValue { state in
            guard state.loops[name]?.generation == generation else { return }
            state.loops[name]?.wake = makeWake()
            state.loops[name]?.run = nil
        }
    }

    /// Starts the loop's run with `makeRun`, under the lock so the run is
    /// registered before it can finish.
    /// - Returns: The run, or nil when the loop was stopped.
    func running(_ name: String, generation: Int, _ makeRun: () -> Task<Void, Never>) -> Task<Void, Never>? {
        state.withLockedValue { state in
            guard state.loops[name]?.generation == generation else { return nil }
            let run = makeRun()
            state.loops[name]?.wake = nil
            state.loops[name]?.run = run
            return run
        }
    }

    /// Whether the loop is still scheduled (not stopped by a reload or shutdown).
    func isCurrent(_ name: String, generation: Int) -> Bool {
        state.withLockedValue { $0.loops[name]?.generation == generation }
    }

    /// Stops the loops of the checks named in `names` and waits until their runs end.
    /// - Returns: How many loops were stopped.
    func stop(_ names: [String]) async -> Int {
        let stopped = state.withLockedValue { state in names.compactMap { state.loops.removeValue(forKey: $0) } }
        await Self.end(stopped)
        return stopped.count
    }

    /// Stops every loop, waits until their runs end, and refuses new ones.
    func close() async {
        let all = state.withLockedValue { state -> [Loop] in
            state.closed = true
            defer { state.loops = [:] }
            return Array(state.loops.values)
        }
        await Self.end(all)
    }

    private static func end(_ loops: [Loop]) async {
        for loop in loops {
            loop.wake?.cancel()
            loop.run?.cancel()
        }
        for loop in loops {
            await loop.run?.value
        }
    }
}
