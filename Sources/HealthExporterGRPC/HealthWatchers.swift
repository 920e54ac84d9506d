import HealthExporter
import NIOConcurrencyHelpers

/// The current ``HealthServices`` and every open `Watch` stream, kept up to
/// date as a ``HealthObserver`` of the monitor.
///
/// Watchers cost nothing while nothing changes: there is no polling, and a
/// snapshot whose answers are unchanged (most check runs) is dismissed in
/// O(1). On a change, each watcher whose service changed status gets the new
/// one, in order, inside the monitor's delivery (so within the same
/// instant as `/readyz`). A watcher that does not read keeps only its
/// newest ``bufferLimit`` statuses, so a stalled client costs bounded memory
/// and still ends on the true status.
public final class HealthWatchers: HealthObserver, Sendable {
    /// Statuses buffered per watcher that is not reading.
    public static let bufferLimit = 16

    private struct Watcher {
        let service: String
        var last: ServingStatus
        let continuation: AsyncStream<ServingStatus>.Continuation
    }

    private struct State {
        var services: HealthServices?
        var watchers: [UInt64: Watcher] = [:]
        var nextID: UInt64 = 0
        var finished = false
    }

    private let state = NIOLockedValueBox(State())
    private let limit: Int

    /// - Parameter limit: Open watches at most (`grpc.maxWatchers`).
    public init(limit: Int) {
        self.limit = limit
    }

    /// The statuses of the latest snapshot heard (nil before the first).
    public var services: HealthServices? {
        state.withLockedValue { $0.services }
    }

    /// Open watches now.
    public var count: Int {
        state.withLockedValue { $0.watchers.count }
    }

    public func observe(_ update: HealthUpdate) {
        if let previous = update.previous, update.reload == nil, update.snapshot.hasSameAnswers(as: previous) { return }
        let services = HealthServices(update.snapshot)
        state.withLockedValue { state in
            state.services = services
            for (id, watcher) in state.watchers {
                let status = services.watched(watcher.service)
                guard status != watcher.last else { continue }
                state.watchers[id]?.last = status
                watcher.continuation.yield(status)
            }
        }
    }

    /// One open watch: its statuses, and a way to end it early.
    public struct Watch: Sendable {
        /// The current status at once, then each change; ends on ``end()``,
        /// on ``HealthWatchers/finishAll()``, or when its consumer is cancelled.
        public let statuses: AsyncStream<ServingStatus>
        private let continuation: AsyncStream<ServingStatus>.Continuation

        init(statuses: AsyncStream<ServingStatus>, continuation: AsyncStream<ServingStatus>.Continuation) {
            self.statuses = statuses
            self.continuation = continuation
        }

        /// Ends the stream and frees the slot (the client went away).
        public func end() {
            continuation.finish()
        }
    }

    /// Opens a watch on `service`.
    /// - Returns: nil at the ``init(limit:)`` limit, or once finished.
    public func watch(_ service: String) -> Watch? {
        let (stream, continuation) = AsyncStream.makeStream(of: ServingStatus.self, bufferingPolicy: .bufferingNewest(Self.bufferLimit))
        let id: UInt64? = state.withLockedValue { state in
            guard !state.finished, state.watchers.count < limit else { return nil }
            let id = state.nextID
            state.nextID += 1
            let current = state.services?.watched(service) ?? .serviceUnknown
            state.watchers[id] = Watcher(service: service, last: current, continuation: continuation)
            // Under the lock: no change can slip between the first status and the registration.
            continuation.yield(current)
            return id
        }
        guard let id else {
            continuation.finish()
            return nil
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { _ = $0.watchers.removeValue(forKey: id) }
        }
        return Watch(statuses: stream, continuation: continuation)
    }

    /// Ends every open watch and refuses new ones: the server is stopping
    /// and must not wait for streams that would never end on their own.
    public func finishAll() {
        let continuations = state.withLockedValue { state in
            state.finished = true
            return state.watchers.values.map(\.continuation)
        }
        for continuation in continuations { continuation.finish() }
    }
}
