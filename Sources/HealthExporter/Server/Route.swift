/// Every path the server answers, in one table, parsed once per request.
///
/// The route knows its path, the probe it counts as (metrics, and the
/// seed's `/health` and `/ready`), the methods it takes, and whether its
/// answer depends on the snapshot alone (``hot``: encoded ahead, once per
/// snapshot). The status page's links and the kubelet probe paths come from
/// here too.
enum Route: Sendable, Equatable {
    /// `/livez`, `/readyz`, `/startupz`; with a check name, that check alone.
    case probe(Probe, check: String?)
    /// The seed's liveness, `/health`.
    case seedHealth
    /// The seed's readiness, `/ready`.
    case seedReady
    case metrics
    case statusz
    case root
    /// The seed's `POST /simulate_*` routes.
    case simulate(SeedSimulation)
    /// `POST /admin/...`.
    case admin(AdminCommand)
    case notFound

    /// The state-changing commands under `/admin/`.
    enum AdminCommand: Sendable, Equatable {
        case setCheck(String, failing: Bool)
        case maintenance(on: Bool)
        case stopHeartbeat
    }

    /// Parses a request path (no query).
    init(path: Substring) {
        guard path.first == "/" else {
            self = .notFound
            return
        }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        let first = segments[0]
        if let probe = Probe(endpoint: first) {
            switch segments.count {
            case 1: self = .probe(probe, check: nil)
            case 2 where !segments[1].isEmpty: self = .probe(probe, check: String(segments[1]))
            default: self = .notFound
            }
            return
        }
        switch (segments.count, first) {
        case (1, ""): self = .root
        case (1, "statusz"): self = .statusz
        case (1, "metrics"): self = .metrics
        case (1, "health"): self = .seedHealth
        case (1, "ready"): self = .seedReady
        case (1, _):
            self = SeedSimulation(path: first).map(Route.simulate) ?? .notFound
        case (_, "admin"):
            self = Self.adminCommand(segments.dropFirst()).map(Route.admin) ?? .notFound
        default:
            self = .notFound
        }
    }

    private static func adminCommand(_ segments: ArraySlice<Substring>) -> AdminCommand? {
        let parts = Array(segments)
        switch (parts.count, parts.first) {
        case (3, "checks") where parts[2] == "fail" || parts[2] == "recover":
            return .setCheck(String(parts[1]), failing: parts[2] == "fail")
        case (2, "maintenance") where parts[1] == "on" || parts[1] == "off":
            return .maintenance(on: parts[1] == "on")
        case (2, "heartbeat") where parts[1] == "stop":
            return .stopHeartbeat
        default:
            return nil
        }
    }

    /// The probe a request on this route counts as; nil for the others.
    var probe: Probe? {
        switch self {
        case .probe(let probe, _): return probe
        case .seedHealth: return .liveness
        case .seedReady: return .readiness
        default: return nil
        }
    }

    /// Whether the route changes state (POST only, behind the ``AdminGate``).
    var isCommand: Bool {
        switch self {
        case .simulate, .admin: return true
        default: return false
        }
    }

    /// The routes whose plain `GET` answer depends on the snapshot alone,
    /// encoded ahead once per snapshot; a route's position is its index.
    static let hot: [Route] = [
        .probe(.liveness, check: nil), .probe(.readiness, check: nil), .probe(.startup, check: nil), .seedHealth, .seedReady,
    ]

    private static let hotPaths = hot.map(\.path)

    /// The index in ``hot`` of a request target that is exactly a hot path
    /// (no query): the test that sends a request down the pre-encoded path.
    static func hotIndex(uri: String) -> Int? {
        hotPaths.firstIndex(of: uri)
    }

    /// The path of a route without parameters (probe endpoints, the seed's).
    var path: String {
        switch self {
        case .probe(let probe, let check): return "/\(probe.endpoint)" + (check.map { "/\($0)" } ?? "")
        case .seedHealth: return "/health"
        case .seedReady: return "/ready"
        case .metrics: return "/metrics"
        case .statusz: return "/statusz"
        case .root: return "/"
        case .simulate(let simulation): return "/\(simulation.path)"
        case .admin, .notFound: return ""
        }
    }
}
