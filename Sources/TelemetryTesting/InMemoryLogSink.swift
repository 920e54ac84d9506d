import NIOConcurrencyHelpers
import Telemetry

/// Keeps lines in memory: for tests, and for embedding code that wants to show
/// its own recent log.
public final class InMemoryLogSink: LogLineSink {
    // The lock guards `storage`, written from any thread that logs.
    private let storage = NIOLockedValueBox<[String]>([])

    public init() {}

    public func write(line: String) {
        storage.withLockedValue { $0.append(line) }
    }

    /// Every line written so far, oldest first.
    public var lines: [String] {
        storage.withLockedValue { $0 }
    }
}
