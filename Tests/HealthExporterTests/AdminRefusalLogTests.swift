import InMemoryLogging
import Logging
import NIOHTTP1
import NIOConcurrencyHelpers
import Testing

@testable import HealthExporter

@Suite("Refused admin requests are logged once per peer per minute, without the token")
struct AdminRefusalLogTests {
    /// Monotonic nanoseconds the test moves by hand.
    private final class ManualTime: Sendable {
        private let value = NIOLockedValueBox<UInt64>(1_000_000_000)
        var now: UInt64 { value.withLockedValue { $0 } }
        func advance(seconds: UInt64) { value.withLockedValue { $0 += seconds * 1_000_000_000 } }
    }

    private static func make() -> (AdminRefusalLog, InMemoryLogHandler, ManualTime) {
        let handler = InMemoryLogHandler()
        let time = ManualTime()
        let log = AdminRefusalLog(logger: Logger(label: "test", factory: { _ in handler }), now: { time.now })
        return (log, handler, time)
    }

    @Test("a flood from one peer is one entry a minute, counting what it left out")
    func perPeerPerMinute() throws {
        let (log, handler, time) = Self.make()
        for _ in 0..<500 { log.record(peer: "10.0.0.1", path: "/admin/maintenance/on", reason: "wrong bearer token") }
        log.record(peer: "10.0.0.2", path: "/simulate_db_failure", reason: "no bearer token")
        #expect(handler.entries.count == 2, "one entry per peer")
        time.advance(seconds: 59)
        log.record(peer: "10.0.0.1", path: "/admin/maintenance/on", reason: "wrong bearer token")
        #expect(handler.entries.count == 2, "still inside the minute")
        time.advance(seconds: 1)
        log.record(peer: "10.0.0.1", path: "/admin/maintenance/on", reason: "wrong bearer token")
        #expect(handler.entries.count == 3)
        let last = try #require(handler.entries.last)
        #expect(last.level == .warning)
        #expect(last.metadata["peer"] == "10.0.0.1")
        #expect(last.metadata["suppressed"] == "500")
        #expect(last.metadata["event"] == "admin_refused")
        #expect(last.metadata["reason"] == "wrong bearer token")
    }

    @Test("many peers: the table stays bounded and newcomers share one entry")
    func bounded() {
        let (log, handler, _) = Self.make()
        for index in 0..<(AdminRefusalLog.capacity + 100) {
            log.record(peer: "10.0.\(index / 256).\(index % 256)", path: "/admin/maintenance/on", reason: "no bearer token")
        }
        #expect(handler.entries.count == AdminRefusalLog.capacity + 1)
        #expect(handler.entries.last?.metadata["peer"] == "\(AdminRefusalLog.overflowPeer)")
    }

    @Test("through the router: the offered token is never logged")
    func tokenNotLogged() {
        let handler = InMemoryLogHandler()
        let monitor = TestFixtures.monitor()
        let router = ProbeRouter(
            monitor: monitor, admin: .init(enabled: true, tokenFile: "/run/token", token: AdminToken("right-token")),
            details: .always, version: "test", refusalLogger: Logger(label: "test", factory: { _ in handler }))
        let offered = "guessed-token-\(UInt64.random(in: 0...UInt64.max))"
        let request = ProbeRequest(method: .POST, path: "/admin/maintenance/on", peer: "127.0.0.1", bearerToken: Substring(offered))
        #expect(router.answer(request, snapshot: monitor.snapshot).status == .forbidden)
        #expect(handler.entries.count == 1)
        let text = handler.entries.map { "\($0.message) \($0.metadata)" }.joined()
        #expect(!text.contains(offered))
        #expect(!text.contains("right-token"))
    }
}
