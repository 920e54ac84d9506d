/// A service's answer in `grpc.health.v1`, independent of the generated
/// protobuf types so the rules can be tested without them.
public enum ServingStatus: Sendable, Hashable, CustomStringConvertible {
    /// Pass or warn: the probe would answer 200.
    case serving
    /// Fail: the probe would answer 503.
    case notServing
    /// Not a known service name (only `Watch` says so; `Check` fails with `NOT_FOUND`).
    case serviceUnknown

    /// The protocol's spelling, as counted in metrics.
    public var description: String {
        switch self {
        case .serving: return "SERVING"
        case .notServing: return "NOT_SERVING"
        case .serviceUnknown: return "SERVICE_UNKNOWN"
        }
    }
}
