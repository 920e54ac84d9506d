/// A check that always fails with one failure: what a kind runs when its
/// client cannot be built from settings that passed validation (should the
/// system refuse them later), so the problem shows on the probe, not as a crash.
struct FailingCheck: HealthCheck {
    let failure: CheckFailure

    init(_ failure: CheckFailure) {
        self.failure = failure
    }

    func run() async throws {
        throw failure
    }
}
