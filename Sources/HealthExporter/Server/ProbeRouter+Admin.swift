import NIOHTTP1
import Telemetry

/// The state-changing routes: `/admin/checks/NAME/fail|recover`,
/// `/admin/maintenance/on|off`, the test hook `/admin/heartbeat/stop`, and
/// access control for them.
extension ProbeRouter {
    func adminAnswer(_ segments: [Substring], request: ProbeRequest) -> HTTPAnswer {
        switch (segments.count, segments.first) {
        case (3, "checks") where segments[2] == "fail" || segments[2] == "recover":
            if let refusal = refuseAdmin(request) { return refusal }
            let name = String(segments[1])
            let failing = segments[2] == "fail"
            do {
                let snapshot = try monitor.setSimulated(check: name, failing: failing)
                let status = snapshot.check(named: name)?.status ?? (failing ? .fail : .pass)
                return HTTPAnswer(
                    status: .ok,
                    contentType: HTTPAnswer.json,
                    body: "{\"check\":\(JSONText.quoted(name)),\"status\":\"\(status)\"}"
                )
            } catch {
                return Self.controlErrorAnswer(error)
            }
        case (2, "maintenance") where segments[1] == "on" || segments[1] == "off":
            if let refusal = refuseAdmin(request) { return refusal }
            let on = segments[1] == "on"
            monitor.setMaintenance(on)
            return HTTPAnswer(status: .ok, contentType: HTTPAnswer.json, body: "{\"maintenance\":\(on)}")
        case (2, "heartbeat") where segments[1] == "stop":
            // A test hook for restarts: liveness fails as if the scheduler were wedged.
            if let refusal = refuseAdmin(request) { return refusal }
            guard monitor.stopHeartbeat() else {
                return .detail(.conflict, "this monitor has no heartbeat check to stop")
            }
            return HTTPAnswer(status: .ok, contentType: HTTPAnswer.json, body: "{\"heartbeat\":\"stopped\"}")
        default:
            return .notFound
        }
    }

    /// Why this request may not use an admin route, or nil when it may.
    /// Order matters: a wrong method is reported before authorization, as
    /// the route's shape is not a secret.
    func refuseAdmin(_ request: ProbeRequest) -> HTTPAnswer? {
        guard request.method == .POST else { return .methodNotAllowed(allow: "POST") }
        guard admin.enabled else {
            return .detail(.forbidden, "admin routes are disabled; set admin.enabled: true to use them")
        }
        if request.peerIsLoopback { return nil }
        guard let token = admin.token else {
            return .detail(.forbidden, "admin routes accept only loopback peers unless admin.tokenFile is set")
        }
        guard let offered = request.bearerToken else {
            return .detail(.unauthorized, "admin routes need Authorization: Bearer <token>", extraHeaders: [("WWW-Authenticate", "Bearer")])
        }
        guard token.matches(offered) else {
            return .detail(.forbidden, "the bearer token is not valid")
        }
        return nil
    }

    static func controlErrorAnswer(_ error: CheckControlError) -> HTTPAnswer {
        switch error.code {
        case .unknownCheck: return .detail(.notFound, error.message)
        default: return .detail(.conflict, error.message)
        }
    }
}
