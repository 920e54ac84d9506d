/// The three questions a kubelet (or systemd) asks the service.
public enum Probe: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Is the process itself healthy? Failing restarts it, so only
    /// process-local checks belong here.
    case liveness
    /// Should traffic reach this instance now?
    case readiness
    /// Has the instance finished starting? Gates the other probes in Kubernetes.
    case startup

    /// The HTTP path segment and metric label: `livez`, `readyz`, `startupz`.
    public var endpoint: String {
        switch self {
        case .liveness: return "livez"
        case .readiness: return "readyz"
        case .startup: return "startupz"
        }
    }

    /// The probe answered at `/<endpoint>`, if any.
    public init?(endpoint: some StringProtocol) {
        switch endpoint {
        case "livez": self = .liveness
        case "readyz": self = .readiness
        case "startupz": self = .startup
        default: return nil
        }
    }

    /// The probe a request path asks: `/livez`, `/readyz/NAME`, and the
    /// seed's `/health` (liveness) and `/ready` (readiness); nil for other
    /// paths. The server's ``Route`` table decides.
    public init?(requestPath path: String) {
        guard let probe = Route(path: Substring(path)).probe else { return nil }
        self = probe
    }

    public var description: String { rawValue }

    public static func < (lhs: Probe, rhs: Probe) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .liveness: return 0
        case .readiness: return 1
        case .startup: return 2
        }
    }
}
