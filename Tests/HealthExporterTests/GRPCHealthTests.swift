import Foundation
import Testing

/// `grpc.health.v1` on the real binary, asked by the official Python client
/// (`grpcio-health-checking`, through `scripts/grpc-health`).
@Suite("gRPC health: the real binary and the official grpcio-health-checking client", .serialized, .timeLimit(.minutes(2)))
struct GRPCHealthTests {
    /// The seed's two dependencies (so the `/simulate_*` routes drive them), a
    /// non-critical check that starts failing (warn), and gRPC on a free port.
    private static let config = """
        listen: 127.0.0.1:0
        root: hello
        admin: {enabled: true}
        drain: {delay: 2s, timeout: 10s}
        grpc: {listen: 127.0.0.1:0}
        checks:
          - {name: database, kind: simulated, detail: "Database not available", probes: [readiness, startup]}
          - {name: external-service, kind: simulated, detail: "External service not available"}
          - {name: optional, kind: simulated, critical: false, startFailing: true}
        """

    private struct Running {
        let service: ExecutableUnderTest.Service
        let http: Int
        let grpc: Int
    }

    private static func start(_ config: String = config, path: String? = nil) throws -> (Running, String) {
        let path = try path ?? TemporaryFile.write(config, suffix: ".yaml")
        let service = try ExecutableUnderTest.Service(["--config", path])
        let http = try #require(service.listeningPort())
        let grpcLine = try #require(service.waitForLine(containing: "\"msg\":\"grpc listening\""))
        let grpc = try #require(ExecutableUnderTest.port(fromListeningLine: grpcLine))
        return (Running(service: service, http: http, grpc: grpc), path)
    }

    @Test("Check and List answer from the snapshot: probes, checks (warn is SERVING), NOT_FOUND for unknown names; counted in health_grpc_requests_total")
    func checkAndList() async throws {
        let (running, path) = try Self.start()
        defer { TemporaryFile.remove(path) }
        defer { _ = running.service.stopSkippingDrain() }
        let port = running.grpc

        #expect(try GRPCHealthClient.check(port: port) == "SERVING")
        #expect(try GRPCHealthClient.check(port: port, "readiness") == "SERVING")
        #expect(try GRPCHealthClient.check(port: port, "optional") == "SERVING", "a failing non-critical check is warn: serving")
        #expect(try GRPCHealthClient.check(port: port, "no-such-check") == "NOT_FOUND")
        #expect(
            try GRPCHealthClient.list(port: port) == [
                "": "SERVING", "readiness": "SERVING", "liveness": "SERVING", "startup": "SERVING",
                "database": "SERVING", "external-service": "SERVING", "optional": "SERVING", "scheduler": "SERVING",
            ])

        let client = try await RawHTTPClient.connect(port: running.http)
        #expect(try await client.request("POST", "/admin/checks/database/fail").status == 200)
        #expect(try GRPCHealthClient.check(port: port) == "NOT_SERVING")
        #expect(try GRPCHealthClient.check(port: port, "readiness") == "NOT_SERVING")
        #expect(try GRPCHealthClient.check(port: port, "database") == "NOT_SERVING")
        #expect(try GRPCHealthClient.check(port: port, "liveness") == "SERVING")
        #expect(try GRPCHealthClient.check(port: port, "startup") == "SERVING", "startup passed once: it stays passed")
        #expect(try await client.request("GET", "/readyz").status == 503, "the same snapshot as HTTP")

        let metrics = try await client.request("GET", "/metrics").body
        for series in [
            #"health_grpc_requests_total{method="Check",probe="readyz",code="SERVING"} 2"#,
            #"health_grpc_requests_total{method="Check",probe="readyz",code="NOT_SERVING"} 2"#,
            #"health_grpc_requests_total{method="Check",probe="check",code="SERVING"} 1"#,
            #"health_grpc_requests_total{method="Check",probe="check",code="NOT_SERVING"} 1"#,
            #"health_grpc_requests_total{method="Check",probe="unknown",code="NOT_FOUND"} 1"#,
            #"health_grpc_requests_total{method="List",probe="all",code="OK"} 1"#,
            "health_grpc_watchers 0",
        ] {
            #expect(metrics.contains(series), "missing \(series)")
        }
        await client.close()
    }

    @Test("Watch: SERVING → NOT_SERVING → SERVING as /simulate_db_failure and /simulate_db_recovery flip the database; SIGTERM turns readiness NOT_SERVING, then ends the stream")
    func watchThroughFailureRecoveryAndDrain() async throws {
        let (running, path) = try Self.start()
        defer { TemporaryFile.remove(path) }
        let readiness = try GRPCHealthClient.Watch(port: running.grpc)
        let database = try GRPCHealthClient.Watch(port: running.grpc, "database")
        let liveness = try GRPCHealthClient.Watch(port: running.grpc, "liveness")
        for watch in [readiness, database, liveness] {
            #expect(watch.next()?.status == "SERVING", "the current status at once")
        }
        let client = try await RawHTTPClient.connect(port: running.http)

        var latencies: [Double] = []
        for (route, expected) in [("/simulate_db_failure", "NOT_SERVING"), ("/simulate_db_recovery", "SERVING")] {
            let sent = monotonicSeconds()
            #expect(try await client.request("POST", route).status == 200)
            for watch in [readiness, database] {
                let message = try #require(watch.next(), "no \(expected) after \(route)")
                #expect(message.status == expected)
                latencies.append(message.time - sent)
            }
        }
        // Only changes are sent: the external service's flip is not the database's.
        #expect(try await client.request("POST", "/simulate_external_service_failure").status == 200)
        #expect(readiness.next()?.status == "NOT_SERVING")
        #expect(try await client.request("POST", "/simulate_external_service_recovery").status == 200)
        #expect(readiness.next()?.status == "SERVING")
        #expect(database.next(within: 0.3) == nil, "no message for the database: its status did not change")
        // Generous bound (a noisy machine); the figure itself is printed and reported.
        print("grpc watch latency after the admin request (s): \(latencies.map { String(format: "%.4f", $0) })")
        #expect(latencies.allSatisfy { $0 < 1.0 }, "\(latencies)")

        running.service.signal(SIGTERM)
        #expect(readiness.next()?.status == "NOT_SERVING", "draining: readiness off at once")
        #expect(try GRPCHealthClient.check(port: running.grpc, "readiness") == "NOT_SERVING")
        #expect(try GRPCHealthClient.check(port: running.grpc, "liveness") == "SERVING", "liveness untouched while draining")
        // When the drain delay (2 s) ends the server stops, ending every stream.
        for watch in [readiness, database, liveness] {
            #expect(watch.next(within: 10)?.status == "END OK")
        }
        #expect(liveness.received.map(\.status) == ["SERVING", "END OK"])
        #expect(running.service.stop() == 0)
        await client.close()
    }

    @Test("Reload: a removed check's watchers hear SERVICE_UNKNOWN, a watched unknown name appears when a reload adds it")
    func reload() async throws {
        let (running, path) = try Self.start()
        defer { TemporaryFile.remove(path) }
        defer { _ = running.service.stopSkippingDrain() }
        let removed = try GRPCHealthClient.Watch(port: running.grpc, "optional")
        let added = try GRPCHealthClient.Watch(port: running.grpc, "queue")
        #expect(removed.next()?.status == "SERVING")
        #expect(added.next()?.status == "SERVICE_UNKNOWN", "unknown: the stream stays open")

        let config = Self.config.replacingOccurrences(
            of: "  - {name: optional, kind: simulated, critical: false, startFailing: true}",
            with: "  - {name: queue, kind: simulated}")
        try TemporaryFile.overwrite(path, with: config)
        running.service.signal(SIGHUP)
        #expect(running.service.waitForLine(containing: "configuration reloaded") != nil)
        #expect(removed.next()?.status == "SERVICE_UNKNOWN")
        #expect(added.next()?.status == "SERVING")
        #expect(try GRPCHealthClient.check(port: running.grpc, "optional") == "NOT_FOUND")
    }

    @Test("Limits: a Watch beyond grpc.maxWatchers is RESOURCE_EXHAUSTED; a connection beyond grpc.maxConnections is closed at once")
    func limits() async throws {
        let config = Self.config.replacingOccurrences(
            of: "grpc: {listen: 127.0.0.1:0}", with: "grpc: {listen: 127.0.0.1:0, maxConnections: 3, maxWatchers: 2}")
        let (running, path) = try Self.start(config)
        defer { TemporaryFile.remove(path) }
        defer { _ = running.service.stopSkippingDrain() }

        let first = try GRPCHealthClient.Watch(port: running.grpc)
        let second = try GRPCHealthClient.Watch(port: running.grpc, "database")
        #expect(first.next()?.status == "SERVING")
        #expect(second.next()?.status == "SERVING")
        let third = try GRPCHealthClient.Watch(port: running.grpc, "liveness")
        #expect(third.next()?.status == "END RESOURCE_EXHAUSTED")
        first.stop()
        // The slot frees when the client goes away.
        var again: GRPCHealthClient.Watch?
        try await eventually("a Watch admitted after one closed") {
            let watch = try GRPCHealthClient.Watch(port: running.grpc, "liveness")
            again = watch
            return watch.next()?.status == "SERVING"
        }
        again?.stop()
        second.stop()

        // Three connections are the cap (the two watch clients above are gone): a fourth is closed unanswered.
        var held: [RawHTTPClient] = []
        try await eventually("the watch clients' connections closed") {
            (try? GRPCHealthClient.check(port: running.grpc)) == "SERVING"
        }
        for _ in 0..<3 { held.append(try await RawHTTPClient.connect(port: running.grpc)) }
        let refused = try await RawHTTPClient.connect(port: running.grpc)
        let connected = ContinuousClock.now
        #expect(await refused.isClosedByPeer())
        // An admitted connection would wait for its preface until limits.idleTimeout (60 s).
        #expect(ContinuousClock.now - connected < .seconds(5), "closed at once, not by a timeout")
        await held.removeLast().close()
        try await eventually("Check answered once a connection closed") {
            (try? GRPCHealthClient.check(port: running.grpc)) == "SERVING"
        }
        for client in held { await client.close() }
    }
}
