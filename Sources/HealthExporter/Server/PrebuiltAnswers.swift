import NIOCore
import NIOHTTP1

/// The hot answers of one snapshot, encoded to their final bytes once.
///
/// A plain `GET /readyz` (or `/livez`, `/startupz`, `/health`, `/ready`,
/// HTTP/1.1 keep-alive, JSON) is answered by writing one of these buffers:
/// no routing, no rendering, no allocation per request.
final class PrebuiltAnswers: Sendable {
    /// The routes worth encoding ahead.
    enum Route: Int, CaseIterable, Sendable {
        case livez, readyz, startupz, health, ready

        init?(uri: String) {
            switch uri {
            case "/livez": self = .livez
            case "/readyz": self = .readyz
            case "/startupz": self = .startupz
            case "/health": self = .health
            case "/ready": self = .ready
            default: return nil
            }
        }

        var path: String {
            switch self {
            case .livez: return "/livez"
            case .readyz: return "/readyz"
            case .startupz: return "/startupz"
            case .health: return "/health"
            case .ready: return "/ready"
            }
        }
    }

    let snapshot: HealthSnapshot
    private let getBytes: [ByteBuffer]
    private let headBytes: [ByteBuffer]
    private let statuses: [HTTPResponseStatus]
    // Each route's probe, from the one rule in Probe(requestPath:), resolved here rather than per request.
    private let probes: [Probe]

    init(snapshot: HealthSnapshot, router: ProbeRouter) {
        self.snapshot = snapshot
        var get: [ByteBuffer] = []
        var head: [ByteBuffer] = []
        var statuses: [HTTPResponseStatus] = []
        let allocator = ByteBufferAllocator()
        for route in Route.allCases {
            let answer = router.answer(ProbeRequest(method: .GET, path: route.path), snapshot: snapshot)
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
        self.probes = Route.allCases.map { route in
            guard let probe = Probe(requestPath: route.path) else { preconditionFailure("\(route.path) answers no probe") }
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

    func bytes(for route: Route, head: Bool) -> ByteBuffer {
        head ? headBytes[route.rawValue] : getBytes[route.rawValue]
    }

    func status(for route: Route) -> HTTPResponseStatus {
        statuses[route.rawValue]
    }

    /// The probe a route answers (the seed's `/health` and `/ready` count as liveness and readiness).
    func probe(for route: Route) -> Probe {
        probes[route.rawValue]
    }
}
