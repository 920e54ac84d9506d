import Atomics
import NIOCore

/// One open connection's progress, written by its handlers on its event loop
/// and read by the ``ConnectionTable`` from anywhere (sweeps, eviction).
///
/// Times are monotonic nanoseconds (`NIODeadline.uptimeNanoseconds`); 0 means
/// "not now". Stores are relaxed: a sweep that reads a value a moment late
/// acts a sweep later, which is within its granularity anyway.
final class ConnectionRecord: Sendable {
    let id: UInt64
    let channel: any Channel
    let acceptedAt: UInt64
    /// When the first bytes of a request head arrived; 0 while no head is being read.
    private let headSince = ManagedAtomic<UInt64>(0)
    /// When a request body began; 0 while no body is being read.
    private let bodySince = ManagedAtomic<UInt64>(0)
    /// When the last complete request was received; 0 before the first.
    private let lastCompleted = ManagedAtomic<UInt64>(0)

    init(id: UInt64, channel: any Channel, acceptedAt: UInt64) {
        self.id = id
        self.channel = channel
        self.acceptedAt = acceptedAt
    }

    /// Bytes arrived: if no request was under way, a request head starts now.
    func bytesArrived(now: @autoclosure () -> UInt64) {
        if headSince.load(ordering: .relaxed) == 0, bodySince.load(ordering: .relaxed) == 0 {
            headSince.store(now(), ordering: .relaxed)
        }
    }

    /// The head is complete; the body's deadline runs until the request
    /// completes. (A request without a body completes in the same read, long
    /// before any sweep could find that deadline passed: no need to look at
    /// its headers to tell.)
    func headReceived(now: UInt64) {
        headSince.store(0, ordering: .relaxed)
        bodySince.store(now, ordering: .relaxed)
    }

    /// The request is complete: the connection made progress.
    func requestCompleted(now: UInt64) {
        bodySince.store(0, ordering: .relaxed)
        headSince.store(0, ordering: .relaxed)
        lastCompleted.store(now, ordering: .relaxed)
    }

    /// Which deadline has passed at `now`, if any; claims it, so it is reported once.
    func claimExpiredDeadline(now: UInt64, headerTimeout: UInt64, bodyTimeout: UInt64) -> RequestTimeoutEvent? {
        let head = headSince.load(ordering: .relaxed)
        if head != 0, now &- head >= headerTimeout,
            headSince.compareExchange(expected: head, desired: 0, ordering: .relaxed).exchanged
        {
            return .header
        }
        let body = bodySince.load(ordering: .relaxed)
        if body != 0, now &- body >= bodyTimeout,
            bodySince.compareExchange(expected: body, desired: 0, ordering: .relaxed).exchanged
        {
            return .body
        }
        return nil
    }

    /// Lower is less progress: first connections that never completed a
    /// request (oldest first), then those whose last request is oldest.
    var progressRank: (completedAny: Bool, since: UInt64) {
        let completed = lastCompleted.load(ordering: .relaxed)
        return completed == 0 ? (false, acceptedAt) : (true, completed)
    }
}

/// Sent up a connection's pipeline when a request took too long to arrive.
enum RequestTimeoutEvent: Sendable {
    /// The request head was not complete within `limits.headerTimeout`.
    case header
    /// The request body was not complete within `limits.bodyTimeout`.
    case body
}
