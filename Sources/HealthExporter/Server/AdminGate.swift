import Logging
import NIOHTTP1

/// Who may use the state-changing routes (`/admin/...` and the seed's
/// `/simulate_*`).
///
/// - With `admin.tokenFile` set, every peer needs `Authorization: Bearer
///   <token>`, loopback included: a pod's other containers, and anything they
///   let in through an SSRF, reach loopback too. A missing token is 401 with
///   `WWW-Authenticate: Bearer`, a wrong one 403; tokens compare in constant time.
/// - With no token, only a loopback peer on a loopback-only listener gets in
///   (the demo). A wildcard listener with no token refuses everyone.
///
/// Refusals are logged through ``AdminRefusalLog`` (once per peer per
/// minute), never with the offered token.
struct AdminGate: Sendable {
    let admin: HealthExporterConfig.Admin
    let refusals: AdminRefusalLog?

    init(admin: HealthExporterConfig.Admin, refusals: AdminRefusalLog? = nil) {
        self.admin = admin
        self.refusals = refusals
    }

    /// Why `request` may not use an admin route, or nil when it may.
    /// A wrong method is reported before authorization: the route's shape is
    /// no secret, and a GET must not be counted as an attack.
    func refusal(for request: ProbeRequest) -> HTTPAnswer? {
        guard request.method == .POST else { return .methodNotAllowed(allow: "POST") }
        guard let (answer, reason) = decide(request) else { return nil }
        refusals?.record(peer: request.peer, path: request.path, reason: reason)
        return answer
    }

    private func decide(_ request: ProbeRequest) -> (HTTPAnswer, String)? {
        guard admin.enabled else {
            return (.detail(.forbidden, "admin routes are disabled; set admin.enabled: true to use them"), "disabled")
        }
        if let token = admin.token {
            guard let offered = request.bearerToken else {
                return (
                    .detail(.unauthorized, "admin routes need Authorization: Bearer <token>", extraHeaders: [("WWW-Authenticate", "Bearer")]),
                    "no bearer token"
                )
            }
            guard token.matches(offered) else {
                return (.detail(.forbidden, "the bearer token is not valid"), "wrong bearer token")
            }
            return nil
        }
        guard request.peerIsLoopback, request.listenerIsLoopback else {
            return (
                .detail(.forbidden, "without admin.tokenFile, admin routes accept only loopback peers on a loopback-only listener"),
                request.peerIsLoopback ? "listener not loopback-only, no token configured" : "peer not on loopback, no token configured"
            )
        }
        return nil
    }
}
