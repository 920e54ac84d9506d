import Atomics
import CSystemd
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A ``Notifier`` over `sd_notify(3)`: datagrams to `$NOTIFY_SOCKET`.
///
/// `sd_notify` blocks when the manager's queue is full (Linux queues only
/// `net.unix.max_dgram_qlen`, often 10, datagrams), so messages are sent in
/// order from one background queue: a stalled manager can never stall a
/// probe answer, a health transition or the event loop that caused it. At
/// most ``maximumPending`` messages wait; beyond that new ones are dropped and
/// counted in ``dropped``.
///
/// Without `NOTIFY_SOCKET` (not started by systemd, or in Kubernetes) every
/// call is a cheap no-op, so the service can always notify.
public final class SystemdNotifier: Notifier {
    /// Messages allowed to wait for a stalled manager.
    public static let maximumPending = 64

    public let watchdogInterval: Duration?
    private let enabled: Bool
    private let queue = DispatchQueue(label: "health-exporter.sd-notify")
    private let pending = ManagedAtomic(0)
    private let droppedCount = ManagedAtomic(0)

    /// Reads `NOTIFY_SOCKET`, and `WATCHDOG_USEC` (with `WATCHDOG_PID`, which must name this process).
    public init() {
        enabled = getenv("NOTIFY_SOCKET") != nil
        var microseconds: UInt64 = 0
        if sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 {
            watchdogInterval = .microseconds(Int64(microseconds / 2))
        } else {
            watchdogInterval = nil
        }
    }

    /// Whether a service manager is listening (`NOTIFY_SOCKET` was set).
    public var isManaged: Bool { enabled }

    /// Messages dropped because the manager did not keep up.
    public var dropped: Int { droppedCount.load(ordering: .relaxed) }

    public func notify(_ message: NotifyMessage) {
        guard enabled else { return }
        guard pending.loadThenWrappingIncrement(ordering: .relaxed) < Self.maximumPending else {
            pending.wrappingDecrement(ordering: .relaxed)
            droppedCount.wrappingIncrement(ordering: .relaxed)
            return
        }
        let text = message.description
        queue.async { [pending] in
            // 0: keep NOTIFY_SOCKET set, since the service notifies for its whole life.
            _ = sd_notify(0, text)
            pending.wrappingDecrement(ordering: .relaxed)
        }
    }
}
