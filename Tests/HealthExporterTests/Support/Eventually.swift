import Testing

/// Polls `condition` until it holds, for up to `limit` of real time.
///
/// The limit is a deadline on the wall clock, not a count of polls, so a
/// loaded machine (where each short sleep overshoots) gets the same time to
/// answer as an idle one. Records an issue naming `what` (and `detail`, the
/// state that explains it) and throws when the condition never holds.
func eventually(
    _ what: String,
    within limit: Duration = .seconds(10),
    detail: () -> String = { "" },
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try condition() { return }
        try await Task.sleep(for: .milliseconds(2))
    }
    if try condition() { return }
    let shown = detail()
    Issue.record("timed out after \(limit) waiting for \(what)\(shown.isEmpty ? "" : "; \(shown)")", sourceLocation: sourceLocation)
    throw CancellationError()
}
