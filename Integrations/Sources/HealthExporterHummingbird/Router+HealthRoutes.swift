import HealthExporter
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

extension Router {
    /// Mounts the probes and `/metrics` of `service` on this router:
    /// `GET`/`HEAD` `/livez`, `/readyz`, `/startupz` (with `?verbose`,
    /// `?exclude=NAME`, `Accept: text/plain`), their `/NAME` forms, and
    /// `/metrics` (Prometheus text or OpenMetrics). Answers are the
    /// standalone server's, byte for byte, for the same snapshot
    /// (``HealthService/answer(to:peer:)``), and count in `health_probe_requests_total`.
    ///
    /// Per-check detail follows `expose.details`: the peer counts as loopback
    /// only when the request context reports its address
    /// (`RemoteAddressRequestContext`); otherwise it is withheld, the safe side.
    public func addHealthRoutes(_ service: HealthService, listenerIsLoopback: Bool = false) {
        let respond: @Sendable (Request, Context) -> Response = { request, context in
            HealthRoute.respond(to: request, context: context, service: service, listenerIsLoopback: listenerIsLoopback)
        }
        for probe in ["livez", "readyz", "startupz"] {
            get(RouterPath(probe), use: respond)
            head(RouterPath(probe), use: respond)
            get(RouterPath("\(probe)/:check"), use: respond)
            head(RouterPath("\(probe)/:check"), use: respond)
        }
        get("metrics", use: respond)
        head("metrics", use: respond)
    }
}

/// The translation between Hummingbird's types and the core's.
enum HealthRoute {
    static func respond<Context: RequestContext>(
        to request: Request, context: Context, service: HealthService, listenerIsLoopback: Bool
    ) -> Response {
        var headers = HTTPHeaders()
        for field in request.headers {
            headers.add(name: field.name.rawName, value: field.value)
        }
        let isHead = request.method == .head
        let head = HTTPRequestHead(version: .http1_1, method: isHead ? .HEAD : .GET, uri: request.uri.description, headers: headers)
        let remote = (context as? any RemoteAddressRequestContext)?.remoteAddress
        let answer = service.answer(to: head, peer: ConnectionPeer(remote: remote, listenerIsLoopback: listenerIsLoopback))

        var fields = HTTPFields()
        fields[.contentType] = answer.contentType
        for (name, value) in answer.extraHeaders {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: Int(answer.status.code)),
            headers: fields,
            body: isHead ? ResponseBody() : ResponseBody(byteBuffer: answer.body))
    }
}
