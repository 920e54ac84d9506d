import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing

@testable import HealthExporter

@Suite("The probe server on a real loopback socket", .timeLimit(.minutes(1)))
struct ProbeServerTests {
    @Test("the seed's sequence over one keep-alive connection")
    func seedSequenceOverTCP() async throws {
        try await RunningServer.with { port, _ in
            let client = try await RawHTTPClient.connect(port: port)
            #expect(try await client.request("GET", "/ready").body == #"{"status":"ready"}"#)
            #expect(try await client.request("POST", "/simulate_db_failure").body == #"{"message":"Database connection simulated as failed"}"#)
            let failing = try await client.request("GET", "/ready")
            #expect(failing.status == 503)
            #expect(failing.body == #"{"detail":"Database not available"}"#)
            #expect(try await client.request("POST", "/simulate_db_recovery").status == 200)
            #expect(try await client.request("GET", "/ready").status == 200)
            #expect(try await client.request("POST", "/simulate_external_service_failure").status == 200)
            #expect(try await client.request("GET", "/ready").body == #"{"detail":"External service not available"}"#)
            #expect(try await client.request("POST", "/simulate_external_service_recovery").status == 200)
            let ready = try await client.request("GET", "/ready")
            #expect(ready.status == 200)
            #expect(ready.header("Content-Type") == "application/json")
            let head = try await client.request("HEAD", "/readyz")
            #expect(head.header("Content-Length") == "17")
            #expect(head.body == "")
            await client.close()
        }
    }

    @Test("a malformed request gets 400 on its connection; another connection, mid-request, keeps being served")
    func malformedDoesNotDisturbOthers() async throws {
        try await RunningServer.with { port, _ in
            let slow = try await RawHTTPClient.connect(port: port)
            try await slow.send("GET /readyz HTTP/1.1\r\nHost: te")  // half a request, then silence

            let bad = try await RawHTTPClient.connect(port: port)
            try await bad.send("BLAH /\u{1} HTTP/1.1\r\n\r\n")
            let rejected = try await bad.response()
            #expect(rejected.status == 400)
            #expect(await bad.isClosedByPeer())

            let good = try await RawHTTPClient.connect(port: port)
            #expect(try await good.request("GET", "/livez").status == 200)

            try await slow.send("st\r\n\r\n")
            #expect(try await slow.response().status == 200)
            await good.close()
            await slow.close()
        }
    }

    @Test("at maxConnections a newcomer is served and the least recently active connection makes room")
    func connectionLimit() async throws {
        let configuration = ProbeServer.Configuration(
            listen: ListenAddress(host: "127.0.0.1", port: 0),
            limits: .init(maxConnections: 2)
        )
        try await RunningServer.with(configuration: configuration) { port, _ in
            let first = try await RawHTTPClient.connect(port: port)
            let second = try await RawHTTPClient.connect(port: port)
            #expect(try await first.request("GET", "/livez").status == 200)
            #expect(try await second.request("GET", "/livez").status == 200)
            let third = try await RawHTTPClient.connect(port: port)
            #expect(try await third.request("GET", "/livez").status == 200, "the newcomer is admitted, not refused")
            #expect(await first.isClosedByPeer(), "the connection whose last request is oldest was closed")
            #expect(try await second.request("GET", "/readyz").status == 200)
            await second.close()
            await third.close()
        }
    }

    @Test("an idle connection is closed after limits.idleTimeout")
    func idleTimeout() async throws {
        let configuration = ProbeServer.Configuration(
            listen: ListenAddress(host: "127.0.0.1", port: 0),
            limits: .init(idleTimeout: .milliseconds(200))
        )
        try await RunningServer.with(configuration: configuration) { port, _ in
            // No request at all: a request sent after connecting could race the
            // 200 ms timer on a loaded machine. Bounded from below only.
            let started = ContinuousClock.now
            let client = try await RawHTTPClient.connect(port: port)
            #expect(await client.isClosedByPeer())
            #expect(ContinuousClock.now - started >= .milliseconds(200), "not before the idle timeout")
        }
    }

    @Test("graceful shutdown closes the listener (connect is refused, not reset or timed out) and run() returns")
    func gracefulShutdown() async throws {
        // RunningServer.with returns only once the group, and so run(), has returned.
        let port = try await RunningServer.with { port, _ in
            let client = try await RawHTTPClient.connect(port: port)
            let status = try await client.request("GET", "/livez").status
            #expect(status == 200)
            return port
        }
        await #expect {
            _ = try await RawHTTPClient.connect(port: port)
        } throws: { error in
            guard let failure = error as? NIOConnectionError, !failure.connectionErrors.isEmpty else { return false }
            return failure.connectionErrors.allSatisfy { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }
        }
    }

    @Test("a busy address is reported with the address and the system's reason")
    func bindFailure() async throws {
        try await RunningServer.with { port, _ in
            let second = ProbeServer(
                configuration: .init(listen: ListenAddress(host: "127.0.0.1", port: port)),
                monitor: TestFixtures.monitor(),
                logger: .init(label: "test")
            )
            do {
                try await second.run()
                Issue.record("a second bind on \(port) succeeded")
            } catch let error as ProbeServerError {
                #expect(error.message.hasPrefix("cannot listen on 127.0.0.1:\(port): "))
                #expect(error.message.contains("Address already in use"))
            }
        }
    }
}
