import Logging
import NIOCore
import ServiceLifecycle
import Telemetry
import Testing

@testable import HealthExporter

@Suite("Graceful shutdown: drain, then quiesce (real probe server on loopback)", .timeLimit(.minutes(1)))
struct ShutdownDrainTests {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("readiness fails at once with reason draining, liveness and /metrics keep answering, then the listener closes")
    func drain() async throws {
        let clock = ContinuousClock()
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
        // Long enough that the checks below fit inside it on a loaded machine.
        let delay = Duration.seconds(3)
        let drain = ShutdownDrain(monitor: monitor, lifecycle: lifecycle, delay: delay, clock: clock, logger: Self.logger)
        let group = ServiceGroup(services: [lifecycle, server, drain], logger: Self.logger)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let client = try await RawHTTPClient.connect(port: port)
            #expect(try await client.request("GET", "/readyz").status == 200)
            #expect(notifier.messages(setting: "READY").count == 1)

            let shutdownStarted = clock.now
            await group.triggerGracefulShutdown()
            // The drain's first step runs before the trigger's effects are awaited; poll briefly.
            var ready = try await client.request("GET", "/readyz?verbose")
            for _ in 0..<100 where ready.status == 200 {
                try await Task.sleep(for: .milliseconds(2))
                ready = try await client.request("GET", "/readyz?verbose")
            }
            #expect(ready.status == 503)
            #expect(ready.body.contains(#""reason":"draining""#), "\(ready.body)")
            for _ in 0..<100 where notifier.messages(setting: "STOPPING").isEmpty {
                try await Task.sleep(for: .milliseconds(2))
            }
            // Readiness is off before systemd hears STOPPING=1.
            #expect(notifier.messages.suffix(2).map(\.description) == [
                "STATUS=draining: readiness off, finishing in-flight requests", "STOPPING=1",
            ])

            // Still serving, on this connection and on new ones, until the delay ends.
            #expect(try await client.request("GET", "/livez").status == 200)
            #expect(try await client.request("GET", "/metrics").status == 200)
            let late = try await RawHTTPClient.connect(port: port)
            #expect(try await late.request("GET", "/livez").status == 200)
            #expect(clock.now - shutdownStarted < delay, "the checks above ran inside the drain delay")
            await late.close()

            try await tasks.waitForAll()
            #expect(clock.now - shutdownStarted >= delay, "the listener stayed open for the whole delay")
            #expect(await client.isClosedByPeer(), "the idle keep-alive connection was closed by quiescing")
            await #expect(throws: (any Error).self) { _ = try await RawHTTPClient.connect(port: port) }
            #expect(notifier.messages(setting: "READY").count == 1, "no READY=1 while draining")
        }
    }
}
