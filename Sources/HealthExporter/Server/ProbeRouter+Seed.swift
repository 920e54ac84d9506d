import NIOHTTP1
import Telemetry

/// One of the seed app's `POST /simulate_*` routes, mapped onto a simulated check.
struct SeedSimulation: Equatable {
    /// The simulated check the route flips.
    let check: String
    let failing: Bool
    /// The seed's `{"message": …}` text.
    let message: String

    static let databaseCheck = "database"
    static let externalServiceCheck = "external-service"

    init?(path: Substring) {
        switch path {
        case "simulate_db_failure":
            self.init(check: Self.databaseCheck, failing: true, message: "Database connection simulated as failed")
        case "simulate_db_recovery":
            self.init(check: Self.databaseCheck, failing: false, message: "Database connection simulated as recovered")
        case "simulate_external_service_failure":
            self.init(check: Self.externalServiceCheck, failing: true, message: "External service simulated as unavailable")
        case "simulate_external_service_recovery":
            self.init(check: Self.externalServiceCheck, failing: false, message: "External service simulated as available")
        default:
            return nil
        }
    }

    private init(check: String, failing: Bool, message: String) {
        self.check = check
        self.failing = failing
        self.message = message
    }
}

/// The seed app's routes, with its exact codes and bodies.
extension ProbeRouter {
    /// `GET /` in the demo (``HealthExporterConfig/Root/hello``): the seed's greeting.
    static let seedHello = HTTPAnswer(status: .ok, contentType: HTTPAnswer.json, body: #"{"Hello":"World"}"#)

    /// `GET /health`: liveness as the seed words it.
    static func seedHealth(_ snapshot: HealthSnapshot) -> HTTPAnswer {
        snapshot.verdict(for: .liveness).status.isHealthy
            ? HTTPAnswer(status: .ok, contentType: HTTPAnswer.json, body: #"{"status":"up"}"#)
            : HTTPAnswer(status: .serviceUnavailable, contentType: HTTPAnswer.json, body: #"{"status":"down"}"#)
    }

    /// `GET /ready`: `{"status":"ready"}`, or 503 with the first failing
    /// check's detail, as the seed checks the database before the external service.
    static func seedReady(_ snapshot: HealthSnapshot) -> HTTPAnswer {
        let verdict = snapshot.verdict(for: .readiness)
        guard !verdict.status.isHealthy else {
            return HTTPAnswer(status: .ok, contentType: HTTPAnswer.json, body: #"{"status":"ready"}"#)
        }
        let detail: String
        switch verdict.reason {
        case .some(.draining): detail = "Service is shutting down"
        case .some(.maintenance): detail = "Service is in maintenance"
        default:
            let failing = verdict.checks.first { $0.status == .fail }
            detail = failing.map { $0.output ?? "\($0.name) not available (\($0.reason?.rawValue ?? "error"))" } ?? "Service not ready"
        }
        return .detail(.serviceUnavailable, detail)
    }

    func simulateAnswer(_ simulation: SeedSimulation, request: ProbeRequest) -> HTTPAnswer {
        if let refusal = adminGate.refusal(for: request) { return refusal }
        do {
            try monitor.setSimulated(check: simulation.check, failing: simulation.failing)
        } catch {
            return Self.controlErrorAnswer(error)
        }
        return HTTPAnswer(status: .ok, contentType: HTTPAnswer.json, body: "{\"message\":\(JSONText.quoted(simulation.message))}")
    }
}
