import NIOConcurrencyHelpers
import NIOCore

/// The server's open connections: admits new ones up to a limit, evicting the
/// one that has made the least progress when full, and finds requests that
/// are arriving too slowly.
///
/// At the limit a newcomer is admitted by closing another connection (one
/// that never completed a request, oldest first) rather than refused, so a
/// table full of slow or idle clients cannot lock the kubelet out: its probe
/// connects, sends its request at once and is answered.
final class ConnectionTable: Sendable {
    private struct State {
        var records: [UInt64: ConnectionRecord] = [:]
        var nextID: UInt64 = 1
    }

    let capacity: Int
    // Guards the records; never held while closing or signalling a channel.
    private let state = NIOLockedValueBox(State())

    init(capacity: Int) {
        precondition(capacity >= 1, "a connection table holds at least one connection")
        self.capacity = capacity
    }

    var count: Int { state.withLockedValue { $0.records.count } }

    /// Adds `channel`; when the table is full, also returns the connection to
    /// close to make room (already removed from the table).
    func admit(_ channel: any Channel, now: UInt64) -> (record: ConnectionRecord, evicted: ConnectionRecord?) {
        state.withLockedValue { state in
            var evicted: ConnectionRecord?
            if state.records.count >= capacity {
                let victim = state.records.values.min { Self.lessProgress($0.progressRank, $1.progressRank) }
                if let victim {
                    state.records[victim.id] = nil
                    evicted = victim
                }
            }
            let record = ConnectionRecord(id: state.nextID, channel: channel, acceptedAt: now)
            state.nextID += 1
            state.records[record.id] = record
            return (record, evicted)
        }
    }

    /// Forgets a closed connection (no-op if it was evicted).
    func remove(_ record: ConnectionRecord) {
        state.withLockedValue { _ = $0.records.removeValue(forKey: record.id) }
    }

    /// Every connection whose request head or body deadline has passed, each once.
    func expired(now: UInt64, headerTimeout: Duration, bodyTimeout: Duration) -> [(ConnectionRecord, RequestTimeoutEvent)] {
        let header = UInt64(max(0, headerTimeout.nanoseconds))
        let body = UInt64(max(0, bodyTimeout.nanoseconds))
        let records = state.withLockedValue { Array($0.records.values) }
        return records.compactMap { record in
            record.claimExpiredDeadline(now: now, headerTimeout: header, bodyTimeout: body).map { (record, $0) }
        }
    }

    private static func lessProgress(_ lhs: (completedAny: Bool, since: UInt64), _ rhs: (completedAny: Bool, since: UInt64)) -> Bool {
        if lhs.completedAny != rhs.completedAny { return !lhs.completedAny }
        return lhs.since < rhs.since
    }
}
