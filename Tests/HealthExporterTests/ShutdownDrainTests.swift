import Logging
import NIOCore
import ServiceLifecycle
import Telemetry
import TelemetryTesting
import Testing

@testable import HealthExporter

@Suite("Graceful shutdown: drain, then quiesce (real probe server on loopback)", .timeLimit(.minutes(1)))
struct ShutdownDrainTests {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("readiness fails at once with reason draining, liveness and /metrics keep answering for the whole delay, then the listener closes")
    func drain() async throws {
        // Time is the test's: "inside the delay" and "after the delay" are
        // facts about this clock, however slow the machine is.
        let clock = TestClock()
        let registry = MetricsRegistry()
        let metrics = try HealthMetrics(registry: registry, checks: TestFixtures.seedChecks)
        let monitor = HealthMonitor(checks: TestFixtures.seedChecks, logger: Self.logger, metrics: metrics)
        let notifier = InMemoryNotifier()
        let lifecycle = SystemdLifecycle(notifier: notifier, monitor: monitor, readyWhen: .ready, clock: clock, logger: Self.logger)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let server = ProbeServer(
            configuration: .init(listen: ListenAddress(host: "127.0.0.1", port: 0), metrics: metrics),
            monitor: monitor, logger: Self.logger
        ) { address in
            lifecycle.serverListening()
            portContinuation.yield(address.port ?? 0)
            portContinuation.finish()
        }
        let delay = Duration.seconds(5)
        let drain = ShutdownDrain(monitor: monitor, lifecycle: lifecycle, delay: delay, clock: clock, logger: Self.logger)
        let group = ServiceGroup(services: [lifecycle, server, drain], logger: Self.logger)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let client = try await RawHTTPClient.connect(port: port)
            #expect(try await client.request("GET", "/readyz").status == 200)
            #expect(notifier.messages(setting: "READY").count == 1)
            #expect(clock.sleeperCount == 0, "nothing else sleeps on this clock (no watchdog without WATCHDOG_USEC)")

            await group.triggerGracefulShutdown()
            // The drain arms its delay only after readiness is off and STOPPING=1 is sent.
            try await clock.waitForSleepers(1)
            let ready = try await client.request("GET", "/readyz?verbose")
            #expect(ready.status == 503)
            #expect(ready.body.contains(#""reason":"draining""#), "\(ready.body)")
            // Readiness is off before systemd hears STOPPING=1.
            #expect(notifier.messages.suffix(2).map(\.description) == [
                "STATUS=draining: readiness off, finishing in-flight requests", "STOPPING=1",
            ])

            // Still serving, on this connection and on new ones, up to the last moment of the delay.
            clock.advance(by: delay - .milliseconds(1))
            #expect(try await client.request("GET", "/livez").status == 200)
            #expect(try await client.request("GET", "/metrics").status == 200)
            #expect(try await client.request("GET", "/readyz").status == 503)
            let late = try await RawHTTPClient.connect(port: port)
            #expect(try await late.request("GET", "/livez").status == 200)
            await late.close()
            #expect(clock.sleeperCount == 1, "the delay has not ended")

            clock.advance(by: .milliseconds(1))
            try await tasks.waitForAll()
            #expect(await client.isClosedByPeer(), "the idle keep-alive connection was closed by quiescing")
            await #expect(throws: (any Error).self) { _ = try await RawHTTPClient.connect(port: port) }
            #expect(notifier.messages(setting: "READY").count == 1, "no READY=1 while draining")
        }
    }
}
