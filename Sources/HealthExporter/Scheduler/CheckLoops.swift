/// The running loop of each scheduled check, by name, so a reload can stop
/// some and start others while the rest keep running.
///
/// Loops are tasks owned here, not children of one task group, because a
/// task group cannot cancel one chosen child. ``CheckScheduler/run()`` still
/// bounds their lifetime: ``close()`` cancels and awaits every one.
actor CheckLoops {
    private var loops: [String: Task<Void, Never>] = [:]
    private var closed = false

    /// Starts `body` as the loop of `config`, unless the scheduler has
    /// stopped or a loop for that check already runs.
    /// - Returns: Whether a loop was started.
    @discardableResult
    func start(_ config: CheckConfig, body: @escaping @Sendable () async -> Void) -> Bool {
        guard !closed, loops[config.name] == nil else { return false }
        loops[config.name] = Task(operation: body)
        return true
    }

    /// Cancels the loops of the checks named in `names` and waits until they end.
    /// - Returns: How many loops were stopped.
    func stop(_ names: [String]) async -> Int {
        let doomed = names.compactMap { loops.removeValue(forKey: $0) }
        for task in doomed { task.cancel() }
        for task in doomed { await task.value }
        return doomed.count
    }

    /// Cancels every loop, waits until they end, and refuses new ones.
    func close() async {
        closed = true
        let all = loops.values
        loops = [:]
        for task in all { task.cancel() }
        for task in all { await task.value }
    }
}
