import NIOConcurrencyHelpers
import Telemetry

/// A ``Notifier`` that keeps every message, for tests.
public final class InMemoryNotifier: Notifier {
    private let sent = NIOLockedValueBox<[NotifyMessage]>([])
    public let watchdogInterval: Duration?

    /// - Parameter watchdogInterval: What ``watchdogInterval`` reports (nil: no watchdog armed).
    public init(watchdogInterval: Duration? = nil) {
        self.watchdogInterval = watchdogInterval
    }

    public func notify(_ message: NotifyMessage) {
        sent.withLockedValue { $0.append(message) }
    }

    /// Every message so far, oldest first.
    public var messages: [NotifyMessage] {
        sent.withLockedValue { $0 }
    }

    /// The messages that set `key`, oldest first.
    public func messages(setting key: String) -> [NotifyMessage] {
        messages.filter { $0[key] != nil }
    }
}
