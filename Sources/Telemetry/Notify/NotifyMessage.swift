#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One datagram for the service manager, in `sd_notify(3)`'s
/// newline-separated `KEY=VALUE` form.
///
/// Build it from the static members and combine with ``merging(_:)``:
/// `.ready.merging(.status("ready: 3/3 checks passing"))`.
public struct NotifyMessage: Sendable, Equatable, CustomStringConvertible {
    /// The assignments, in the order they are sent.
    public private(set) var fields: [(key: String, value: String)]

    public init(fields: [(key: String, value: String)]) {
        self.fields = fields
    }

    /// `READY=1`: start-up (or a reload) is finished.
    public static let ready = NotifyMessage(fields: [("READY", "1")])
    /// `STOPPING=1`: shutdown has begun.
    public static let stopping = NotifyMessage(fields: [("STOPPING", "1")])
    /// `WATCHDOG=1`: the process is alive.
    public static let watchdog = NotifyMessage(fields: [("WATCHDOG", "1")])

    /// `RELOADING=1` with `MONOTONIC_USEC`, the `CLOCK_MONOTONIC` time the
    /// reload began, which systemd 253+ requires to match it to the request.
    public static func reloading(monotonicMicroseconds: UInt64) -> NotifyMessage {
        NotifyMessage(fields: [("RELOADING", "1"), ("MONOTONIC_USEC", String(monotonicMicroseconds))])
    }

    /// ``reloading(monotonicMicroseconds:)`` at the current `CLOCK_MONOTONIC` time.
    public static func reloadingNow() -> NotifyMessage {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return reloading(monotonicMicroseconds: UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000)
    }

    /// `STATUS=`: a one-line summary for `systemctl status`. Line breaks would
    /// end the field early, so they become spaces.
    public static func status(_ text: String) -> NotifyMessage {
        let line = String(text.map { $0.isNewline ? " " : $0 })
        return NotifyMessage(fields: [("STATUS", line)])
    }

    /// This message followed by `other`'s fields, sent as one datagram.
    public func merging(_ other: NotifyMessage) -> NotifyMessage {
        NotifyMessage(fields: fields + other.fields)
    }

    /// The value of `key`, if the message sets it.
    public subscript(key: String) -> String? {
        fields.first { $0.key == key }?.value
    }

    /// The wire form: `KEY=VALUE` lines.
    public var description: String {
        fields.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
    }

    public static func == (lhs: NotifyMessage, rhs: NotifyMessage) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.key == $1.key && $0.value == $1.value }
    }
}
