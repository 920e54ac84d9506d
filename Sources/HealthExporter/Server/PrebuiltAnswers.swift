import NIOCore
import NIOHTTP1

/// The hot answers of one snapshot, encoded to their final bytes once.
///
/// A plain `GET /readyz` (or `/livez`, `/startupz`, `/health`, `/ready`,
/// HTTP/1.1 keep-alive, JSON) is answered by writing one of these buffers:
/// no routing, no rendering, no allocation per request.
final class PrebuiltAnswers: Sendable {
    let snapshot: HealthSnapshot
    private let getBytes: [ByteBuffer]
    private let headBytes: [ByteBuffer]
    private let statuses: [HTTPResponseStatus]
    // Each route's probe (Route.probe), resolved here rather than per request.
    private let probes: [Probe]

    init(snapshot: HealthSnapshot, renderer: ProbeAnswers) {
        self.snapshot = snapshot
        var get: [ByteBuffer] = []
        var head: [ByteBuffer] = []
        var statuses: [HTTPResponseStatus] = []
        let allocator = ByteBufferAllocator()
        for route in Route.hot {
            let answer = renderer.hotAnswer(route, snapshot: snapshot)
            var full = allocator.buffer(capacity: 160)
            answer.encode(into: &full, includeBody: true, connection: .implicitKeepAlive)
            var headOnly = allocator.buffer(capacity: 128)
            answer.encode(into: &headOnly, includeBody: false, connection: .implicitKeepAlive)
            get.append(full)
            head.append(headOnly)
            statuses.append(answer.status)
        }
        self.getBytes = get
        self.headBytes = head
        self.statuses = statuses
        self.probes = Route.hot.map { route in
            guard let probe = route.probe else { preconditionFailure("\(route.path) answers no probe") }
            return probe
        }
    }

    /// `previous`'s bytes with a newer `snapshot` whose answers are the same
    /// (``HealthSnapshot/hasSameAnswers(as:)``): most check results only move
    /// times and counters, and re-encoding every answer for each was most of
    /// the idle CPU with many checks.
    init(snapshot: HealthSnapshot, sharing previous: PrebuiltAnswers) {
        self.snapshot = snapshot
        self.getBytes = previous.getBytes
        self.headBytes = previous.headBytes
        self.statuses = previous.statuses
        self.probes = previous.probes
    }

    /// The bytes of the hot route at `index` (``Route/hotIndex(uri:)``).
    func bytes(for index: Int, head: Bool) -> ByteBuffer {
        head ? headBytes[index] : getBytes[index]
    }

    func status(for index: Int) -> HTTPResponseStatus {
        statuses[index]
    }

    /// The probe the hot route at `index` answers (the seed's `/health` and `/ready` count as liveness and readiness).
    func probe(for index: Int) -> Probe {
        probes[index]
    }
}
