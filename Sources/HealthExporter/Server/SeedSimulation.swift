/// One of the seed app's `POST /simulate_*` routes, mapped onto a simulated check.
struct SeedSimulation: Sendable, Equatable {
    /// The route's path segment, e.g. `simulate_db_failure`.
    let path: String
    /// The simulated check the route flips.
    let check: String
    let failing: Bool
    /// The seed's `{"message": …}` text, word for word.
    let message: String

    static let databaseCheck = "database"
    static let externalServiceCheck = "external-service"

    init?(path: Substring) {
        switch path {
        case "simulate_db_failure":
            self.init(path, Self.databaseCheck, failing: true, "Database connection simulated as failed")
        case "simulate_db_recovery":
            self.init(path, Self.databaseCheck, failing: false, "Database connection simulated as recovered")
        case "simulate_external_service_failure":
            self.init(path, Self.externalServiceCheck, failing: true, "External service simulated as unavailable")
        case "simulate_external_service_recovery":
            self.init(path, Self.externalServiceCheck, failing: false, "External service simulated as available")
        default:
            return nil
        }
    }

    private init(_ path: Substring, _ check: String, failing: Bool, _ message: String) {
        self.path = String(path)
        self.check = check
        self.failing = failing
        self.message = message
    }
}
