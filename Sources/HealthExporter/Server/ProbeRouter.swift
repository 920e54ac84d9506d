import Logging
import NIOCore
import NIOHTTP1
import Telemetry

/// Maps a ``ProbeRequest`` to an ``HTTPAnswer``, reading only the snapshot it
/// is given (and, for admin routes, telling the monitor what to change).
///
/// It is a plain value with no I/O, so every route, code and body is testable
/// without a socket.
public struct ProbeRouter: Sendable {
    let monitor: HealthMonitor
    let root: HealthExporterConfig.Root
    let adminGate: AdminGate
    let details: HealthExporterConfig.Expose.Details
    let version: String
    let metrics: MetricsRegistry?

    public init(
        monitor: HealthMonitor,
        root: HealthExporterConfig.Root = .statusz,
        admin: HealthExporterConfig.Admin,
        details: HealthExporterConfig.Expose.Details,
        version: String,
        metrics: MetricsRegistry? = nil,
        refusalLogger: Logger? = nil
    ) {
        self.monitor = monitor
        self.root = root
        self.adminGate = AdminGate(admin: admin, refusals: refusalLogger.map { AdminRefusalLog(logger: $0) })
        self.details = details
        self.version = version
        self.metrics = metrics
    }

    static let readOnlyMethods = "GET, HEAD"

    /// The answer to `request`, given the current `snapshot`.
    public func answer(_ request: ProbeRequest, snapshot: HealthSnapshot) -> HTTPAnswer {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard request.path.hasPrefix("/"), let first = segments.first else { return .notFound }

        if let probe = Probe(endpoint: first) {
            guard isReadOnly(request.method) else { return .methodNotAllowed(allow: Self.readOnlyMethods) }
            switch segments.count {
            case 1: return probeAnswer(probe, request: request, snapshot: snapshot)
            case 2 where !segments.last!.isEmpty: return singleCheckAnswer(probe, check: segments.last!, request: request, snapshot: snapshot)
            default: return .notFound
            }
        }
        switch (segments.count, first) {
        case (1, ""):
            guard isReadOnly(request.method) else { return .methodNotAllowed(allow: Self.readOnlyMethods) }
            switch root {
            case .hello: return Self.seedHello
            case .statusz: return .redirect(to: StatusPage.path)
            }
        case (1, "statusz"):
            guard isReadOnly(request.method) else { return .methodNotAllowed(allow: Self.readOnlyMethods) }
            return HTTPAnswer(status: .ok, contentType: HTTPAnswer.html, body: StatusPage.render(snapshot, version: version))
        case (1, "metrics") where metrics != nil:
            guard isReadOnly(request.method) else { return .methodNotAllowed(allow: Self.readOnlyMethods) }
            return metricsAnswer(request)
        case (1, "health"), (1, "ready"):
            guard isReadOnly(request.method) else { return .methodNotAllowed(allow: Self.readOnlyMethods) }
            return first == "health" ? Self.seedHealth(snapshot) : Self.seedReady(snapshot)
        case (1, _) where SeedSimulation(path: first) != nil:
            return simulateAnswer(SeedSimulation(path: first)!, request: request)
        case (_, "admin"):
            return adminAnswer(Array(segments.dropFirst()), request: request)
        default:
            return .notFound
        }
    }

    /// Always 200, whatever the health: the scrape must see the failure.
    private func metricsAnswer(_ request: ProbeRequest) -> HTTPAnswer {
        let body = metrics?.render(request.metricsFormat, allocator: ByteBufferAllocator()) ?? ByteBuffer()
        return HTTPAnswer(status: .ok, contentType: request.metricsFormat.contentType, body: body)
    }

    private func isReadOnly(_ method: HTTPMethod) -> Bool {
        method == .GET || method == .HEAD
    }

    private func probeAnswer(_ probe: Probe, request: ProbeRequest, snapshot: HealthSnapshot) -> HTTPAnswer {
        let verdict = snapshot.verdict(for: probe, excluding: request.excluded)
        if request.verbose, !mayShowDetails(to: request) {
            let status: HTTPResponseStatus = verdict.status.isHealthy ? .ok : .serviceUnavailable
            return request.wantsText
                ? HTTPAnswer(status: status, contentType: HTTPAnswer.plainText, body: ProbeBodyRenderer.textWithheld(verdict))
                : HTTPAnswer(status: status, contentType: HTTPAnswer.healthJSON, body: ProbeBodyRenderer.jsonWithheld(verdict))
        }
        return render(verdict, request: request, verbose: request.verbose, single: false)
    }

    private func singleCheckAnswer(_ probe: Probe, check name: Substring, request: ProbeRequest, snapshot: HealthSnapshot) -> HTTPAnswer {
        guard let verdict = snapshot.verdict(for: probe, check: name) else {
            return .detail(.notFound, "no check named \(name) takes part in \(probe.endpoint)")
        }
        return render(verdict, request: request, verbose: request.verbose && mayShowDetails(to: request), single: true)
    }

    private func render(_ verdict: ProbeVerdict, request: ProbeRequest, verbose: Bool, single: Bool) -> HTTPAnswer {
        let status: HTTPResponseStatus = verdict.status.isHealthy ? .ok : .serviceUnavailable
        if request.wantsText {
            let body = single && !verbose ? ProbeBodyRenderer.singleCheckText(verdict) : ProbeBodyRenderer.text(verdict, verbose: verbose)
            return HTTPAnswer(status: status, contentType: HTTPAnswer.plainText, body: body)
        }
        return HTTPAnswer(status: status, contentType: HTTPAnswer.healthJSON, body: ProbeBodyRenderer.json(verdict, verbose: verbose))
    }

    private func mayShowDetails(to request: ProbeRequest) -> Bool {
        switch details {
        case .always: return true
        case .loopback: return request.peerIsLoopback
        case .authorized:
            guard let token = adminGate.admin.token, let offered = request.bearerToken else { return false }
            return token.matches(offered)
        case .never: return false
        }
    }
}
