import HealthExporter

/// Every `grpc.health.v1` service name and its status, worked out from one
/// snapshot (never by running a check).
///
/// - `""` and `readiness`: the readiness verdict, so draining and
///   maintenance turn them `NOT_SERVING` just as they turn `/readyz` 503;
/// - `liveness`, `startup`: those probes' verdicts;
/// - each check's name: that check (`warn` counts as serving).
public struct HealthServices: Sendable, Equatable {
    /// Status by service name.
    public let statuses: [String: ServingStatus]

    public init(_ snapshot: HealthSnapshot) {
        var statuses: [String: ServingStatus] = [:]
        statuses.reserveCapacity(snapshot.checks.count + 4)
        for check in snapshot.checks {
            statuses[check.name] = Self.status(check.status)
        }
        // After the checks: the probe names win should a check share one (the config refuses that).
        let readiness = Self.status(snapshot.verdict(for: .readiness).status)
        statuses[""] = readiness
        statuses["readiness"] = readiness
        statuses["liveness"] = Self.status(snapshot.verdict(for: .liveness).status)
        statuses["startup"] = Self.status(snapshot.verdict(for: .startup).status)
        self.statuses = statuses
    }

    /// The status of `service`, or nil when no service has that name.
    public subscript(service: String) -> ServingStatus? {
        statuses[service]
    }

    /// What a `Watch` on `service` reports: unknown names are `SERVICE_UNKNOWN`.
    public func watched(_ service: String) -> ServingStatus {
        statuses[service] ?? .serviceUnknown
    }

    /// The metric label for requests about `service`: the probe's endpoint
    /// name, `check` for a check's own service, `unknown` otherwise (bounded,
    /// whatever names clients send).
    public func probeLabel(for service: String) -> String {
        switch service {
        case "", "readiness": return "readyz"
        case "liveness": return "livez"
        case "startup": return "startupz"
        default: return statuses[service] == nil ? "unknown" : "check"
        }
    }

    private static func status(_ status: CheckStatus) -> ServingStatus {
        status.isHealthy ? .serving : .notServing
    }
}
