import NIOConcurrencyHelpers
import Telemetry

/// Keeps entries in memory: what would have been sent, for tests.
public final class InMemoryJournalSink: JournalSink {
    // The lock guards `storage`, appended from any logging thread.
    private let storage = NIOLockedValueBox<[[JournalField]]>([])

    public init() {}

    public func send(_ fields: [JournalField]) -> Bool {
        storage.withLockedValue { $0.append(fields) }
        return true
    }

    /// Every entry so far, oldest first.
    public var entries: [[JournalField]] {
        storage.withLockedValue { $0 }
    }
}
