import NIOHTTP1
import Telemetry

/// The seed app's routes, with its exact codes and bodies.
extension ProbeAnswers {
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
}
