import AsyncHTTPClient
import Atomics
import HealthExporter
import HealthExporterHummingbird
import HealthExporterVapor
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Telemetry
import Testing
import Vapor

/// The adapters on real Hummingbird and Vapor servers, each on a real port,
/// beside the standalone probe server of the same ``HealthService``: same
/// snapshot, same bytes.
@Suite("Hummingbird and Vapor adapters against the standalone server", .serialized, .timeLimit(.minutes(2)))
struct FrameworkAdapterTests {
    /// Requests whose answers must be identical on both servers.
    static let requests: [(path: String, headers: [(String, String)])] = [
        ("/livez", []), ("/readyz", []), ("/startupz", []), ("/readyz?verbose", []), ("/readyz?verbose&exclude=example", []),
        ("/readyz/example", []), ("/readyz/example?verbose", []), ("/livez/nope", []), ("/readyz", [("Accept", "text/plain")]),
        ("/readyz?verbose", [("Accept", "text/plain")]),
    ]

    /// A health service with one flippable closure check, serving its own
    /// management port as well; detail shown to everyone so both servers may show it.
    final class Fixture: Sendable {
        let failing = ManagedAtomic(false)
        let health: HealthService
        let standalonePort = ManagedAtomic(0)

        init() throws {
            var configuration = HealthExporterConfig()
            configuration.expose.details = .always
            configuration.drain.delay = .zero
            let failing = self.failing
            let port = self.standalonePort
            health = try HealthService(
                checks: [.init("example", interval: .milliseconds(100), failureThreshold: 1) {
                    if failing.load(ordering: .relaxed) { throw CheckFailure(.status, "toggled off") }
                }],
                configuration: configuration,
                listen: ListenAddress(host: "127.0.0.1", port: 0),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                onListening: { port.store($0.port ?? 0, ordering: .relaxed) })
        }
    }

    struct Answer: Equatable, CustomStringConvertible {
        var status: UInt
        var contentType: String?
        var body: String
        var description: String { "\(status) \(contentType ?? "-") \(body)" }
    }

    static func get(_ client: HTTPClient, port: Int, _ path: String, headers: [(String, String)] = [], method: NIOHTTP1.HTTPMethod = .GET) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: response.status.code, contentType: response.headers.first(name: "content-type"), body: String(buffer: body))
    }

    /// Compares every request on both ports, retrying when a check run changed the snapshot in between.
    static func expectSameAnswers(_ fixture: Fixture, client: HTTPClient, frameworkPort: Int) async throws {
        let standalone = fixture.standalonePort.load(ordering: .relaxed)
        for (path, headers) in requests {
            var compared = false
            for _ in 0..<20 where !compared {
                let before = fixture.health.monitor.snapshot.generation
                let theirs = try await get(client, port: frameworkPort, path, headers: headers)
                let ours = try await get(client, port: standalone, path, headers: headers)
                guard fixture.health.monitor.snapshot.generation == before else { continue }
                #expect(theirs == ours, "\(path) \(headers)")
                compared = true
            }
            #expect(compared, "the snapshot never held still for \(path)")
        }
    }

    /// Flipping the closure check flips /readyz on the framework's port; an app
    /// counter through swift-metrics shows on its /metrics with its labels.
    static func expectFlipAndMetrics(_ fixture: Fixture, client: HTTPClient, frameworkPort: Int) async throws {
        let hello = Metrics.Counter(
            label: "example_hello_requests_total", dimensions: [("route", "/hello")],
            factory: SwiftMetricsFactory(registry: fixture.health.registry))
        hello.increment(by: 3)
        #expect(try await get(client, port: frameworkPort, "/readyz").status == 200)
        fixture.failing.store(true, ordering: .relaxed)
        var status: UInt = 200
        for _ in 0..<100 where status == 200 {
            try await Task.sleep(for: .milliseconds(50))
            status = try await get(client, port: frameworkPort, "/readyz").status
        }
        #expect(status == 503)
        fixture.failing.store(false, ordering: .relaxed)
        let metrics = try await get(client, port: frameworkPort, "/metrics")
        #expect(metrics.status == 200 && metrics.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.body.contains("example_hello_requests_total{route=\"/hello\"} 3\n"))
        #expect(metrics.body.contains("health_check_up{check=\"example\"}"))
        let open = try await get(client, port: frameworkPort, "/metrics", headers: [("Accept", "application/openmetrics-text; version=1.0.0")])
        #expect(open.body.hasSuffix("# EOF\n") && open.body.contains("example_hello_requests_total{route=\"/hello\"} 3\n"))
        let head = try await get(client, port: frameworkPort, "/readyz", method: .HEAD)
        #expect(head.body.isEmpty)
    }

    @Test("Hummingbird: router.addHealthRoutes answers like the standalone server; a closure check flips /readyz; app metrics on /metrics")
    func hummingbird() async throws {
        let fixture = try Fixture()
        let port = ManagedAtomic(0)
        let router = Hummingbird.Router()
        router.addHealthRoutes(fixture.health)
        let app = Hummingbird.Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { port.store($0.localAddress?.port ?? 0, ordering: .relaxed) },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let group = ServiceGroup(services: [fixture.health, app], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await group.run() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            for _ in 0..<200 where port.load(ordering: .relaxed) == 0 || fixture.standalonePort.load(ordering: .relaxed) == 0 {
                try await Task.sleep(for: .milliseconds(20))
            }
            while fixture.health.monitor.snapshot.check(named: "example")?.status != .pass { try await Task.sleep(for: .milliseconds(20)) }
            try await Self.expectSameAnswers(fixture, client: client, frameworkPort: port.load(ordering: .relaxed))
            try await Self.expectFlipAndMetrics(fixture, client: client, frameworkPort: port.load(ordering: .relaxed))
        } catch {
            Issue.record(error)
        }
        try await client.shutdown()
        await group.triggerGracefulShutdown()
        try await running.value
    }

    @Test("Vapor: app.addHealthRoutes answers like the standalone server; a closure check flips /readyz; app metrics on /metrics")
    func vapor() async throws {
        let fixture = try Fixture()
        let app = try await Vapor.Application.make(.testing)
        app.logger.logLevel = .error
        app.addHealthRoutes(fixture.health)
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let checks = Task { try await fixture.health.run() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let port = try #require(app.http.server.shared.localAddress?.port)
            for _ in 0..<200 where fixture.standalonePort.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            while fixture.health.monitor.snapshot.check(named: "example")?.status != .pass { try await Task.sleep(for: .milliseconds(20)) }
            try await Self.expectSameAnswers(fixture, client: client, frameworkPort: port)
            try await Self.expectFlipAndMetrics(fixture, client: client, frameworkPort: port)
        } catch {
            Issue.record(error)
        }
        try await client.shutdown()
        checks.cancel()
        _ = try? await checks.value
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}
