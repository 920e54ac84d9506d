import Logging
import NIOCore
import NIOEmbedded
import NIOExtras
import NIOHTTP1
import Testing

@testable import HealthExporter

@Suite("The HTTP handler on the wire: raw bytes in, exact bytes out")
struct ProbeHTTPHandlerTests {
    private final class Harness {
        let channel = EmbeddedChannel()
        let monitor: HealthMonitor

        init(limits: HealthExporterConfig.Limits = .init(), remote: String = "127.0.0.1") throws {
            monitor = TestFixtures.monitor()
            let router = TestFixtures.router(monitor)
            let dependencies = ProbeHTTPHandler.Dependencies(
                router: router,
                answers: AnswerStore(renderer: router.answers, monitor: monitor),
                limits: limits,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                metrics: nil,
                listenerIsLoopback: true
            )
            try channel.pipeline.syncOperations.addHandlers(
                ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)),
                ProbeHTTPHandler(dependencies: dependencies)
            )
            try channel.connect(to: SocketAddress(ipAddress: remote, port: 40000)).wait()
        }

        /// Sends raw bytes and returns everything the handler wrote in answer.
        func exchange(_ request: String) throws -> String {
            try channel.writeInbound(channel.allocator.buffer(string: request))
            var output = ""
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
                output += String(buffer: buffer)
            }
            return output
        }

        var isOpen: Bool { channel.isActive }
    }

    private static func response(_ code: String, _ type: String, _ body: String, extra: String = "", head: Bool = false) -> String {
        "HTTP/1.1 \(code)\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\nCache-Control: no-store\r\n\(extra)\r\n\(head ? "" : body)"
    }

    @Test("a GET /readyz gets the exact pre-encoded bytes and the connection stays open")
    func readyz() throws {
        let harness = try Harness()
        let output = try harness.exchange("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(output == Self.response("200 OK", "application/health+json", #"{"status":"pass"}"#))
        #expect(harness.isOpen)
    }

    @Test("HEAD gets the GET headers with no body")
    func head() throws {
        let harness = try Harness()
        let output = try harness.exchange("HEAD /ready HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(output == Self.response("200 OK", "application/json", #"{"status":"ready"}"#, head: true))
    }

    @Test("pipelined requests are answered in order, flip included")
    func pipelining() throws {
        let harness = try Harness()
        let output = try harness.exchange(
            "GET /ready HTTP/1.1\r\nHost: x\r\n\r\nPOST /simulate_db_failure HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\nGET /ready HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        #expect(
            output
                == Self.response("200 OK", "application/json", #"{"status":"ready"}"#)
                + Self.response("200 OK", "application/json", #"{"message":"Database connection simulated as failed"}"#)
                + Self.response("503 Service Unavailable", "application/json", #"{"detail":"Database not available"}"#)
        )
    }

    @Test("a flip made elsewhere shows on the very next request on an open connection")
    func flipVisibleNext() throws {
        let harness = try Harness()
        _ = try harness.exchange("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
        try harness.monitor.setSimulated(check: "database", failing: true)
        #expect(try harness.exchange("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n") == Self.response("503 Service Unavailable", "application/health+json", #"{"status":"fail"}"#))
    }

    @Test("Connection: close and HTTP/1.0 are honoured")
    func connectionHandling() throws {
        let closing = try Harness()
        let output = try closing.exchange("GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(output == Self.response("200 OK", "application/health+json", #"{"status":"pass"}"#, extra: "Connection: close\r\n"))
        #expect(!closing.isOpen)

        let keepAlive10 = try Harness()
        #expect(try keepAlive10.exchange("GET /livez HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") == Self.response("200 OK", "application/health+json", #"{"status":"pass"}"#, extra: "Connection: keep-alive\r\n"))
        #expect(keepAlive10.isOpen)

        let plain10 = try Harness()
        _ = try plain10.exchange("GET /livez HTTP/1.0\r\n\r\n")
        #expect(!plain10.isOpen)
    }

    @Test("text, verbose and query requests take the routed path")
    func routedPath() throws {
        let harness = try Harness()
        #expect(try harness.exchange("GET /readyz HTTP/1.1\r\nAccept: text/plain\r\n\r\n") == Self.response("200 OK", "text/plain; charset=utf-8", "ok"))
        #expect(try harness.exchange("GET /readyz?exclude=database&exclude=external-service HTTP/1.1\r\n\r\n") == Self.response("200 OK", "application/health+json", #"{"status":"pass"}"#))
    }

    @Test("malformed requests get 400 and the connection closes", arguments: [
        "GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nBad Header\r\n\r\n", "GET /readyz HTTP/9.9\r\n\r\n", "\u{1}\u{2}\u{3}\r\n\r\n",
    ])
    func malformed(_ request: String) throws {
        let harness = try Harness()
        let output = try harness.exchange(request)
        #expect(output == Self.response("400 Bad Request", "application/json", #"{"detail":"Bad Request"}"#, extra: "Connection: close\r\n"))
        #expect(!harness.isOpen)
    }

    @Test("headers over the limit get 431 and close")
    func headerLimit() throws {
        let harness = try Harness(limits: .init(maxHeaderBytes: 512))
        let output = try harness.exchange("GET /readyz HTTP/1.1\r\nX-Padding: \(String(repeating: "a", count: 600))\r\n\r\n")
        #expect(output.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
        #expect(output.hasSuffix(#"{"detail":"request line and headers are larger than 512 bytes"}"#))
        #expect(!harness.isOpen)
    }

    @Test("a body over the limit gets 413, whether announced or streamed")
    func bodyLimit() throws {
        let announced = try Harness(limits: .init(maxBodyBytes: 10))
        let first = try announced.exchange("POST /simulate_db_failure HTTP/1.1\r\nContent-Length: 11\r\n\r\n")
        #expect(first.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
        #expect(!announced.isOpen)
        #expect(announced.monitor.snapshot.verdict(for: .readiness).status == .pass, "the refused request flipped nothing")

        let streamed = try Harness(limits: .init(maxBodyBytes: 10))
        let second = try streamed.exchange("POST /simulate_db_failure HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n")
        #expect(second.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
        #expect(streamed.monitor.snapshot.verdict(for: .readiness).status == .pass)
    }

    @Test("admin routes see whether the peer is on loopback")
    func peerAddress() throws {
        let remote = try Harness(remote: "192.0.2.7")
        let output = try remote.exchange("POST /simulate_db_failure HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
        #expect(output.hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        #expect(remote.monitor.snapshot.verdict(for: .readiness).status == .pass)
    }

    @Test("quiescing closes an idle connection after a short grace, and answers a request that arrives in it with Connection: close")
    func quiescingIdle() throws {
        let idle = try Harness()
        idle.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(idle.isOpen, "a request may already be on its way")
        idle.channel.embeddedEventLoop.advanceTime(by: ProbeHTTPHandler.quiesceGrace - .milliseconds(1))
        #expect(idle.isOpen)
        idle.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!idle.isOpen, "closed once the grace is over")

        let late = try Harness()
        late.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        let output = try late.exchange("GET /livez HTTP/1.1\r\n\r\n")
        #expect(output == Self.response("200 OK", "application/health+json", #"{"status":"pass"}"#, extra: "Connection: close\r\n"))
        #expect(!late.isOpen, "closed after the answer, not lost")
    }

    @Test("quiescing closes a busy connection after its answer, on the pre-encoded and the routed path", arguments: [
        ("GET /readyz", Self.response("200 OK", "application/health+json", #"{"status":"pass"}"#, extra: "Connection: close\r\n")),
        ("POST /admin/maintenance/on", Self.response("200 OK", "application/json", #"{"maintenance":true}"#, extra: "Connection: close\r\n")),
    ])
    func quiescingBusy(_ requestLine: String, _ expected: String) throws {
        let busy = try Harness()
        // The head is in, its body is not: the request is in flight.
        try busy.channel.writeInbound(busy.channel.allocator.buffer(string: "\(requestLine) HTTP/1.1\r\nContent-Length: 2\r\n\r\n"))
        busy.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(busy.isOpen)
        #expect(try busy.exchange("{}") == expected)
        #expect(!busy.isOpen)
    }

    @Test("an idle-timeout event closes the connection")
    func idleTimeout() throws {
        let harness = try Harness()
        harness.channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(!harness.isOpen)
    }
}
