import NIOCore
import NIOHTTP1
import Telemetry

/// The read-only answers: probes, the seed's `/health` and `/ready`, `/`,
/// `/statusz` and `/metrics`, computed from a snapshot and the request alone.
///
/// A plain value with no I/O and no reference to the monitor, so every code
/// and body is testable without a socket, and the ``AnswerStore`` can encode
/// the hot answers of each snapshot with it.
struct ProbeAnswers: Sendable {
    let root: HealthExporterConfig.Root
    let details: HealthExporterConfig.Expose.Details
    /// Who counts as authorized for `expose.details: authorized`.
    let token: AdminToken?
    let version: String
    let metrics: MetricsRegistry?

    static let readOnlyMethods = "GET, HEAD"

    /// The answer to a read-only route (``Route/isCommand`` is false).
    func answer(_ request: ProbeRequest, snapshot: HealthSnapshot) -> HTTPAnswer {
        if request.route == .notFound || (request.route == .metrics && metrics == nil) { return .notFound }
        guard request.method == .GET || request.method == .HEAD else { return .methodNotAllowed(allow: Self.readOnlyMethods) }
        switch request.route {
        case .probe(let probe, nil):
            return probeAnswer(probe, request: request, snapshot: snapshot)
        case .probe(let probe, let check?):
            return singleCheckAnswer(probe, check: check, request: request, snapshot: snapshot)
        case .seedHealth:
            return Self.seedHealth(snapshot)
        case .seedReady:
            return Self.seedReady(snapshot)
        case .root:
            switch root {
            case .hello: return Self.seedHello
            case .statusz: return .redirect(to: Route.statusz.path)
            }
        case .statusz:
            return HTTPAnswer(status: .ok, contentType: HTTPAnswer.html, body: StatusPage.render(snapshot, version: version))
        case .metrics:
            return metricsAnswer(request)
        case .simulate, .admin, .notFound:
            return .notFound
        }
    }

    /// The plain `GET` answer of a ``Route/hot`` route: what the answer store encodes ahead.
    func hotAnswer(_ route: Route, snapshot: HealthSnapshot) -> HTTPAnswer {
        answer(ProbeRequest(method: .GET, path: route.path), snapshot: snapshot)
    }

    /// Always 200, whatever the health: the scrape must see the failure.
    private func metricsAnswer(_ request: ProbeRequest) -> HTTPAnswer {
        let body = metrics?.render(request.metricsFormat, allocator: ByteBufferAllocator()) ?? ByteBuffer()
        return HTTPAnswer(status: .ok, contentType: request.metricsFormat.contentType, body: body)
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

    private func singleCheckAnswer(_ probe: Probe, check name: String, request: ProbeRequest, snapshot: HealthSnapshot) -> HTTPAnswer {
        guard let verdict = snapshot.verdict(for: probe, check: Substring(name)) else {
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
            guard let token, let offered = request.bearerToken else { return false }
            return token.matches(offered)
        case .never: return false
        }
    }
}
