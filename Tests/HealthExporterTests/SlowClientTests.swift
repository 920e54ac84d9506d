import NIOCore
import NIOPosix
import Testing

@testable import HealthExporter

/// Slow and hostile clients against a real probe server on a loopback socket.
@Suite("Slow clients: head and body deadlines, and eviction at maxConnections (real loopback server)", .timeLimit(.minutes(1)))
struct SlowClientTests {
    private static func configuration(_ limits: HealthExporterConfig.Limits) -> ProbeServer.Configuration {
        .init(listen: ListenAddress(host: "127.0.0.1", port: 0), limits: limits)
    }

    @Test("a head trickled one byte at a time gets 408 at headerTimeout, though every byte resets the idle timer")
    func trickledHead() async throws {
        let limits = HealthExporterConfig.Limits(idleTimeout: .seconds(30), headerTimeout: .milliseconds(300))
        try await RunningServer.with(configuration: Self.configuration(limits)) { port, _ in
            let client = try await RawHTTPClient.connect(port: port)
            let started = ContinuousClock.now
            // Far more bytes than fit in the deadline at this pace, each well inside
            // the idle timeout; sending stops failing only if nobody closes on us.
            for byte in "GET /livez HTTP/1.1\r\nHost: slow\r\nX-Slow: " + String(repeating: "a", count: 300) {
                guard (try? await client.send(String(byte))) != nil else { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let response = try await client.response()
            #expect(response.status == 408)
            #expect(response.body == #"{"detail":"request head not complete within 300ms"}"#)
            #expect(response.header("Connection") == "close")
            #expect(await client.isClosedByPeer())
            #expect(ContinuousClock.now - started >= .milliseconds(300), "not before the deadline")
        }
    }

    @Test("a body that stops arriving gets 408 at bodyTimeout")
    func stalledBody() async throws {
        let limits = HealthExporterConfig.Limits(idleTimeout: .seconds(30), bodyTimeout: .milliseconds(300))
        try await RunningServer.with(configuration: Self.configuration(limits)) { port, _ in
            let client = try await RawHTTPClient.connect(port: port)
            try await client.send("POST /admin/maintenance/on HTTP/1.1\r\nHost: slow\r\nContent-Length: 10\r\n\r\nab")
            let response = try await client.response()
            #expect(response.status == 408)
            #expect(response.body == #"{"detail":"request body not complete within 300ms"}"#)
            #expect(await client.isClosedByPeer())
        }
    }

    @Test("keep-alive requests at a normal pace are not cut by the head deadline")
    func normalKeepAlive() async throws {
        let limits = HealthExporterConfig.Limits(headerTimeout: .milliseconds(200))
        try await RunningServer.with(configuration: Self.configuration(limits)) { port, _ in
            let client = try await RawHTTPClient.connect(port: port)
            for _ in 0..<4 {
                #expect(try await client.request("GET", "/livez").status == 200)
                // Idle between requests for longer than the head deadline: idle is not a slow head.
                try await Task.sleep(for: .milliseconds(300))
            }
            #expect(try await client.request("GET", "/readyz").status == 200)
        }
    }

    @Test("a full table of half-sent heads: every fresh probe is still answered, the oldest slow clients are closed")
    func evictionAdmitsProbes() async throws {
        let limits = HealthExporterConfig.Limits(maxConnections: 8, idleTimeout: .seconds(30), headerTimeout: .seconds(30))
        try await RunningServer.with(configuration: Self.configuration(limits)) { port, _ in
            var slow: [RawHTTPClient] = []
            for _ in 0..<16 {
                let client = try await RawHTTPClient.connect(port: port)
                try await client.send("GET /livez HTTP/1.1\r\nHost: slow\r\n")
                slow.append(client)
            }
            var answered = 0
            for _ in 0..<20 {
                let probe = try await RawHTTPClient.connect(port: port)
                if (try? await probe.request("GET", "/livez", headers: ["Connection: close"]).status) == 200 { answered += 1 }
                await probe.close()
            }
            #expect(answered == 20, "fresh probes answered while the table is full of slow clients")
            // The first slow clients were the least advanced (oldest, no request done): evicted.
            #expect(await slow[0].isClosedByPeer())
            #expect(await slow[7].isClosedByPeer())
            for client in slow { await client.close() }
        }
    }

    @Test("a keep-alive client that has completed requests outranks a newer one that never did")
    func progressOutranksAge() async throws {
        let limits = HealthExporterConfig.Limits(maxConnections: 2, idleTimeout: .seconds(30), headerTimeout: .seconds(30))
        try await RunningServer.with(configuration: Self.configuration(limits)) { port, _ in
            let worker = try await RawHTTPClient.connect(port: port)
            #expect(try await worker.request("GET", "/livez").status == 200)
            let stalled = try await RawHTTPClient.connect(port: port)
            try await stalled.send("GET /livez HTTP/1.1\r\n")
            let newcomer = try await RawHTTPClient.connect(port: port)
            #expect(try await newcomer.request("GET", "/livez").status == 200)
            #expect(await stalled.isClosedByPeer(), "the connection that never completed a request made room")
            #expect(try await worker.request("GET", "/readyz").status == 200, "the working keep-alive connection stayed")
            await worker.close()
            await newcomer.close()
        }
    }
}
