import CSystemd

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A ``Notifier`` over `sd_notify(3)`: datagrams to `$NOTIFY_SOCKET`.
///
/// Without `NOTIFY_SOCKET` (not started by systemd, or in Kubernetes) every
/// call is a cheap no-op, so the service can always notify.
public struct SystemdNotifier: Notifier {
    public let watchdogInterval: Duration?

    /// Reads `WATCHDOG_USEC` (and `WATCHDOG_PID`, which must name this process).
    public init() {
        var microseconds: UInt64 = 0
        if sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 {
            watchdogInterval = .microseconds(Int64(microseconds / 2))
        } else {
            watchdogInterval = nil
        }
    }

    /// Whether a service manager is listening (`NOTIFY_SOCKET` is set).
    public static var isManaged: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    public func notify(_ message: NotifyMessage) {
        // 0: keep NOTIFY_SOCKET set, since the service notifies for its whole life.
        _ = sd_notify(0, message.description)
    }
}
