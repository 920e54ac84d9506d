import NIOHTTP1
import Telemetry

/// The state-changing routes: `/admin/checks/NAME/fail|recover`,
/// `/admin/maintenance/on|off`, the test hook `/admin/heartbeat/stop`, and
/// the seed's `/simulate_*`. Who may use them is the ``AdminGate``'s to say;
/// the change goes to the monitor, whose observers (the answer store among
/// them) hear it before the answer is written.
struct AdminCommands: Sendable {
    let monitor: HealthMonitor
    let gate: AdminGate

    func perform(_ request: ProbeRequest) -> HTTPAnswer {
        if let refusal = gate.refusal(for: request) { return refusal }
        switch request.route {
        case .simulate(let simulation):
            do {
                try monitor.setSimulated(check: simulation.check, failing: simulation.failing)
            } catch {
                return Self.controlErrorAnswer(error)
            }
            return HTTPAnswer(status: .ok, contentType: HTTPAnswer.json, body: "{\"message\":\(JSONText.quoted(simulation.message))}")
        case .admin(.setCheck(let name, let failing)):
            do {
                let snapshot = try monitor.setSimulated(check: name, failing: failing)
                let status = snapshot.check(named: name)?.status ?? (failing ? .fail : .pass)
                return HTTPAnswer(status: .ok, contentType: HTTPAnswer.json, body: "{\"check\":\(JSONText.quoted(name)),\"status\":\"\(status)\"}")
            } catch {
                return Self.controlErrorAnswer(error)
            }
        case .admin(.maintenance(let on)):
            monitor.setMaintenance(on)
            return HTTPAnswer(status: .ok, contentType: HTTPAnswer.json, body: "{\"maintenance\":\(on)}")
        case .admin(.stopHeartbeat):
            // A test hook for restarts: liveness fails as if the scheduler were wedged.
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
