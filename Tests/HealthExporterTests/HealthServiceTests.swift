import Atomics
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle
import Testing

@testable import HealthExporter

/// The one-call library API: closure checks in, probes and `/metrics` out on a
/// real management port, stopped by the application's own service group.
@Suite("HealthService: checks in code, probes on a management port, in one call", .timeLimit(.minutes(1)))
struct HealthServiceTests {
    private static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("a closure check flips /readyz on the service's own port; /metrics shows it; graceful shutdown drains and stops")
    func closureCheckOnManagementPort() async throws {
        let failing = ManagedAtomic(false)
        let port = NIOLockedValueBox<Int?>(nil)
        var configuration = HealthExporterConfig()
        configuration.drain.delay = .zero
        let health = try HealthService(
            checks: [
                .init("example", interval: .milliseconds(100), failureThreshold: 1) {
                    if failing.load(ordering: .relaxed) { throw CheckFailure(.status, "toggled off") }
                }
            ],
            configuration: configuration,
            listen: ListenAddress(host: "127.0.0.1", port: 0),
            logger: Self.quiet,
            onListening: { address in port.withLockedValue { $0 = address.port } })
        let group = ServiceGroup(services: [health], logger: Self.quiet)
        let running = Task { try await group.run() }

        try await eventually("listening") { port.withLockedValue { $0 } != nil }
        let client = try await RawHTTPClient.connect(port: try #require(port.withLockedValue { $0 }))
        try await eventually("the first run passed") { health.monitor.snapshot.check(named: "example")?.status == .pass }
        #expect(try await client.request("GET", "/readyz").status == 200)
        failing.store(true, ordering: .relaxed)
        try await eventually("the check failed") { health.monitor.snapshot.check(named: "example")?.status == .fail }
        let failed = try await client.request("GET", "/readyz?verbose")
        #expect(failed.status == 503 && failed.body.contains("toggled off"))
        let metrics = try await client.request("GET", "/metrics").body
        #expect(metrics.contains("health_check_up{check=\"example\"} 0\n"))
        #expect(metrics.contains("process_resident_memory_bytes"))

        await group.triggerGracefulShutdown()
        try await running.value
        #expect(health.monitor.snapshot.draining, "readiness went to draining before the server closed")
        await client.close()
    }

    @Test("invalid and duplicate names are refused with the name")
    func names() {
        #expect(throws: HealthServiceError.self) {
            try HealthService(checks: [.init("Bad Name") {}], logger: Self.quiet)
        }
        do {
            _ = try HealthService(checks: [.init("db") {}, .init("db") {}], logger: Self.quiet)
            Issue.record("a duplicate name was accepted")
        } catch {
            #expect(error.code == .duplicateName && error.message == #"check name "db" is used twice"#)
        }
        do {
            _ = try HealthService(checks: [.init("scheduler") {}], logger: Self.quiet)
            Issue.record("the reserved name was accepted")
        } catch {
            #expect(error.code == .invalidName)
        }
    }
}
