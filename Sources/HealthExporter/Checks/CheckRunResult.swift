import Telemetry

/// One run's result as the monitor records it: its verdict, and what the run
/// reported beside it (``CheckRunReport``).
public struct CheckRunResult: Sendable, Equatable {
    /// Pass, pass with a warning, or fail.
    public enum Verdict: Sendable, Equatable {
        case pass
        /// Up, but reported as `warn` with the warning's reason.
        case warn(CheckWarning)
        case fail(CheckFailure)
    }

    public var verdict: Verdict
    /// The notAfter of the TLS leaf certificate the run was shown.
    public var certificateNotAfter: WallClockTimestamp?

    public init(_ verdict: Verdict, certificateNotAfter: WallClockTimestamp? = nil) {
        self.verdict = verdict
        self.certificateNotAfter = certificateNotAfter
    }

    /// A plain pass or failure, as ``HealthMonitor/record(check:outcome:duration:)`` takes it.
    public init(_ outcome: Result<Void, CheckFailure>) {
        switch outcome {
        case .success: self.init(.pass)
        case .failure(let failure): self.init(.fail(failure))
        }
    }

    /// The result of a run that ended with `error` thrown (or none), classified.
    static func classify(_ error: (any Error)?, target: String, report: CheckRunReport) -> CheckRunResult {
        let verdict: Verdict
        switch error {
        case nil: verdict = .pass
        case let warning as CheckWarning: verdict = .warn(warning)
        case let error?: verdict = .fail(CheckFailure.classify(error, target: target))
        }
        return CheckRunResult(verdict, certificateNotAfter: report.certificateNotAfter)
    }
}
