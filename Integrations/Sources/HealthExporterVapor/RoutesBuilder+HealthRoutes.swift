import HealthExporter
import NIOCore
import NIOHTTP1
import Vapor

extension RoutesBuilder {
    /// Mounts the probes and `/metrics` of `service` on these routes:
    /// `GET` (and so `HEAD`) `/livez`, `/readyz`, `/startupz` (with
    /// `?verbose`, `?exclude=NAME`, `Accept: text/plain`), their `/NAME`
    /// forms, and `/metrics`. Answers are the standalone server's, byte for
    /// byte, for the same snapshot (``HealthService/answer(to:peer:)``), and
    /// count in `health_probe_requests_total`.
    ///
    /// Per-check detail follows `expose.details`, judged by the request's
    /// `remoteAddress` (the TCP peer, not a forwarded header).
    public func addHealthRoutes(_ service: HealthService, listenerIsLoopback: Bool = false) {
        let respond: @Sendable (Request) -> Response = { request in
            HealthRoute.respond(to: request, service: service, listenerIsLoopback: listenerIsLoopback)
        }
        for probe in ["livez", "readyz", "startupz"] {
            get(PathComponent(stringLiteral: probe), use: respond)
            get(PathComponent(stringLiteral: probe), ":check", use: respond)
        }
        get("metrics", use: respond)
    }
}

/// The translation between Vapor's types and the core's.
enum HealthRoute {
    static func respond(to request: Request, service: HealthService, listenerIsLoopback: Bool) -> Response {
        let head = HTTPRequestHead(
            version: .http1_1, method: request.method == .HEAD ? .HEAD : .GET, uri: request.url.string, headers: request.headers)
        let answer = service.answer(to: head, peer: ConnectionPeer(remote: request.remoteAddress, listenerIsLoopback: listenerIsLoopback))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: answer.contentType)
        for (name, value) in answer.extraHeaders { headers.add(name: name, value: value) }
        return Response(status: HTTPResponseStatus(statusCode: Int(answer.status.code)), headers: headers, body: .init(buffer: answer.body))
    }
}
