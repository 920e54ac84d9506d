import Logging
import Telemetry
import NIOConcurrencyHelpers
import NIOCore

/// Logs refused admin requests at most once per peer per ``interval``, so a
/// client hammering the admin routes cannot flood the journal; each entry
/// says how many refusals from that peer went unlogged since the last one.
///
/// The table of peers is bounded (``capacity``): when it is full of recent
/// peers, refusals from new ones share one entry, so memory stays flat under
/// a flood from many addresses.
final class AdminRefusalLog: Sendable {
    static let interval = Duration.seconds(60)
    static let capacity = 1024
    /// Where refusals from peers beyond ``capacity`` are counted.
    static let overflowPeer = "other peers"

    private struct Entry {
        var lastLogged: UInt64
        var suppressed: Int
    }

    private let logger: Logger
    private let now: @Sendable () -> UInt64
    // Guards the per-peer entries; held only to decide, never while logging.
    private let entries = NIOLockedValueBox([String: Entry]())

    /// - Parameter now: Monotonic nanoseconds (tests pass their own).
    init(logger: Logger, now: @escaping @Sendable () -> UInt64 = { NIODeadline.now().uptimeNanoseconds }) {
        self.logger = logger
        self.now = now
    }

    /// Notes one refusal; logs it unless this peer was logged within the interval.
    /// - Parameters:
    ///   - peer: The peer's address (host only, no port), or nil when unknown.
    ///   - reason: Why it was refused, in words that contain nothing the peer sent.
    func record(peer: String?, path: String, reason: String) {
        let time = now()
        let interval = UInt64(Self.interval.nanoseconds)
        let decision = entries.withLockedValue { entries -> (peer: String, suppressed: Int)? in
            var key = peer ?? "unknown"
            if entries[key] == nil, entries.count >= Self.capacity {
                entries = entries.filter { time &- $0.value.lastLogged < interval }
                if entries.count >= Self.capacity { key = Self.overflowPeer }
            }
            if var entry = entries[key], time &- entry.lastLogged < interval {
                entry.suppressed += 1
                entries[key] = entry
                return nil
            }
            let suppressed = entries[key]?.suppressed ?? 0
            entries[key] = Entry(lastLogged: time, suppressed: 0)
            return (key, suppressed)
        }
        guard let decision else { return }
        logger.warning(
            "admin request refused",
            metadata: [
                HealthLogEvent.metadataKey: "\(HealthLogEvent.adminRefused.rawValue)",
                "peer": "\(decision.peer)",
                "path": "\(path)",
                "reason": "\(reason)",
                "suppressed": "\(decision.suppressed)",
            ]
        )
    }
}
