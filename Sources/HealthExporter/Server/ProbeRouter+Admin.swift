import NIOHTTP1
import Telemetry

/// The state-changing routes: `/admin/checks/NAME/fail|recover`,
/// `/admin/maintenance/on|off` and the test hook `/admin/heartbeat/stop`;
/// who may use them is ``AdminGate``'s to say.
extension ProbeRouter {
    func adminAnswer(_ segments: [Substring], request: ProbeRequest) -> HTTPAnswer {
        switch (segments.count, segments.first) {
        case (3, "checks") where segments[2] == "fail" || segments[2] == "recover":
            if let refusal = adminGate.refusal(for: request) { return refusal }
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
            if let refusal = adminGate.refusal(for: request) { return refusal }
            let on = segments[1] == "on"
            monitor.setMaintenance(on)
            return HTTPAnswer(status: .ok, contentType: HTTPAnswer.json, body: "{\"maintenance\":\(on)}")
        case (2, "heartbeat") where segments[1] == "stop":
            // A test hook for restarts: liveness fails as if the scheduler were wedged.
            if let refusal = adminGate.refusal(for: request) { return refusal }
            guard monitor.stopHeartbeat() else {
                return .detail(.conflict, "this monitor has no heartbeat check to stop")
            }
            return HTTPAnswer(status: .ok, contentType: HTTPAnswer.json, body: "{\"heartbeat\":\"stopped\"}")
        default:
            return .notFound
        }
    }

    static func controlErrorAnswer(_ error: CheckControlError) -> HTTPAnswer {
        switch error.code {
        case .unknownCheck: return .detail(.notFound, error.message)
        default: return .detail(.conflict, error.message)
        }
    }
}
