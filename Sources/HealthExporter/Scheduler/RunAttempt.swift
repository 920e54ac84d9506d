import NIOConcurrencyHelpers

/// One run of one check: whichever of its result and its timeout comes
/// first is recorded, and only that one.
final class RunAttempt: Sendable {
    private struct State {
        var decided = false
        var finished = false
        var timeout: ScheduledWake?
    }

    private let state = NIOLockedValueBox(State())

    /// Whether the caller is the first to decide this run's outcome.
    func claim() -> Bool {
        state.withLockedValue { state in
            defer { state.decided = true }
            return !state.decided
        }
    }

    /// Keeps the timeout's wake, to cancel it when the run ends first.
    func arm(_ timeout: ScheduledWake) {
        let finished = state.withLockedValue { state -> Bool in
            if !state.finished { state.timeout = timeout }
            return state.finished
        }
        if finished { timeout.cancel() }
    }

    /// The run has ended: its timeout, if armed, will not fire.
    func finish() {
        let timeout = state.withLockedValue { state -> ScheduledWake? in
            state.finished = true
            defer { state.timeout = nil }
            return state.timeout
        }
        timeout?.cancel()
    }
}
