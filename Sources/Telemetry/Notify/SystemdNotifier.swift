import Atomics
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A ``Notifier`` speaking `sd_notify(3)`'s protocol (without linking
/// libsystemd): one datagram per message to `$NOTIFY_SOCKET`, a path or an
/// `@abstract` name.
///
/// A send blocks when the manager's queue is full (Linux queues only
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
    private let socket: UnixDatagramSocket?
    private let enabled: Bool
    private let queue = DispatchQueue(label: "health-exporter.sd-notify")
    private let pending = ManagedAtomic(0)
    private let droppedCount = ManagedAtomic(0)

    /// Reads `NOTIFY_SOCKET`, and `WATCHDOG_USEC` (with `WATCHDOG_PID`, which must name this process).
    public convenience init() {
        self.init(environment: Self.processEnvironment(["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"]), pid: getpid())
    }

    /// For tests: the environment and process ID to judge it by.
    init(environment: [String: String], pid: Int32) {
        let path = environment["NOTIFY_SOCKET"]
        enabled = path != nil
        socket = path.flatMap { try? UnixDatagramSocket(sendingTo: $0) }
        watchdogInterval = Self.watchdogInterval(environment: environment, pid: pid)
    }

    /// Half of `WATCHDOG_USEC` (pings twice per period, as sd_watchdog_enabled(3)
    /// advises), when set, positive, and meant for `pid`.
    static func watchdogInterval(environment: [String: String], pid: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0,
            microseconds <= UInt64(Int64.max)
        else { return nil }
        if let owner = environment["WATCHDOG_PID"], Int32(owner) != pid { return nil }
        return .microseconds(Int64(microseconds / 2))
    }

    private static func processEnvironment(_ names: [String]) -> [String: String] {
        var environment: [String: String] = [:]
        for name in names {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return environment
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
        queue.async { [pending, socket] in
            // NOTIFY_SOCKET stays set: the service notifies for its whole life.
            _ = Array(text.utf8).withUnsafeBytes { try? socket?.send($0) }
            pending.wrappingDecrement(ordering: .relaxed)
        }
    }
}
