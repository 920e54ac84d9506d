import GRPCCore
import HealthExporter
import SwiftProtobuf
import Telemetry

/// `grpc.health.v1.Health`, answered from the monitor's snapshots through
/// ``HealthWatchers``; no request ever runs a check.
public struct GRPCHealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    private let watchers: HealthWatchers
    private let metrics: GRPCHealthMetrics?

    /// - Parameters:
    ///   - watchers: Subscribed to the monitor (it holds the current statuses).
    ///   - metrics: Where requests are counted, if anywhere.
    public init(watchers: HealthWatchers, metrics: GRPCHealthMetrics?) {
        self.watchers = watchers
        self.metrics = metrics
    }

    public func check(
        request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext
    ) async throws -> Grpc_Health_V1_HealthCheckResponse {
        let services = try current()
        guard let status = services[request.service] else {
            metrics?.count(method: "Check", probe: "unknown", code: "NOT_FOUND")
            throw RPCError(code: .notFound, message: "unknown service \(Self.quoted(request.service))")
        }
        metrics?.count(method: "Check", probe: services.probeLabel(for: request.service), code: status.description)
        return .with { $0.status = .init(status) }
    }

    public func list(
        request: Grpc_Health_V1_HealthListRequest, context: ServerContext
    ) async throws -> Grpc_Health_V1_HealthListResponse {
        let services = try current()
        metrics?.count(method: "List", probe: "all", code: "OK")
        return .with { response in
            for (name, status) in services.statuses {
                response.statuses[name] = .with { $0.status = .init(status) }
            }
        }
    }

    public func watch(
        request: Grpc_Health_V1_HealthCheckRequest,
        response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        let service = request.service
        guard let watch = watchers.watch(service) else {
            metrics?.count(method: "Watch", probe: "all", code: "RESOURCE_EXHAUSTED")
            throw RPCError(code: .resourceExhausted, message: "too many Watch streams open (grpc.maxWatchers); retry later")
        }
        // gRPC reports a client that went away through this handler, not by
        // cancelling the task: without it the watch (and its slot) would live
        // until the next status change tried to write.
        try await withRPCCancellationHandler {
            var first = true
            for await status in watch.statuses {
                if first {
                    first = false
                    let probe = status == .serviceUnknown ? "unknown" : (watchers.services?.probeLabel(for: service) ?? "unknown")
                    metrics?.count(method: "Watch", probe: probe, code: status.description)
                }
                try await response.write(.with { $0.status = .init(status) })
            }
        } onCancelRPC: {
            watch.end()
        }
        // The stream ends when the server stops: the call ends OK, and
        // clients retry with backoff, as the protocol asks of them.
    }

    private func current() throws -> HealthServices {
        guard let services = watchers.services else {
            throw RPCError(code: .unavailable, message: "the service is starting")
        }
        return services
    }

    /// Client-supplied text in an error message: quoted, escaped, bounded.
    private static func quoted(_ text: String) -> String {
        JSONText.quoted(text.count > 128 ? String(text.prefix(128)) + "…" : text)
    }
}

extension Grpc_Health_V1_HealthCheckResponse.ServingStatus {
    init(_ status: ServingStatus) {
        switch status {
        case .serving: self = .serving
        case .notServing: self = .notServing
        case .serviceUnknown: self = .serviceUnknown
        }
    }
}
