/// One dependency check. The scheduler runs it on its interval, never on a
/// probe request, and cancels it at its timeout.
///
/// Return to pass; throw ``CheckFailure`` to fail with a reason (any other
/// error is classified by ``CheckFailure/classify(_:target:)``), or
/// ``CheckWarning`` to pass with a warning. Implementations must
/// honour task cancellation, so a timed-out run ends promptly and the next
/// one is never started while it is still in flight.
public protocol HealthCheck: Sendable {
    func run() async throws
    /// One run that may report what it learned (a TLS certificate's
    /// notAfter) into `report`; the scheduler calls this one. By default it
    /// is ``run()``.
    func run(report: CheckRunReport) async throws
    /// Releases what the check holds between runs (a kept connection); called
    /// once its loop has stopped, at shutdown or when a reload replaces it.
    func shutdown() async
}

extension HealthCheck {
    public func shutdown() async {}

    public func run(report: CheckRunReport) async throws {
        try await run()
    }
}

/// A check from a closure: how a Swift service embeds its own checks.
///
/// ```swift
/// let cache = ClosureHealthCheck { try await myCache.ping() }
/// ```
public struct ClosureHealthCheck: HealthCheck {
    private let body: @Sendable () async throws -> Void

    public init(_ body: @escaping @Sendable () async throws -> Void) {
        self.body = body
    }

    public func run() async throws {
        try await body()
    }
}
