import Logging
import ServiceLifecycle
import Telemetry
import TelemetryTesting
import Testing

@testable import HealthExporter

@Suite("What systemd hears: READY, STATUS and the watchdog", .timeLimit(.minutes(1)))
struct SystemdNotificationTests {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private static func tcp(_ name: String) -> CheckConfig {
        CheckConfig(name: name, kind: .tcp(address: HostPort(host: "127.0.0.1", port: 5432)), failureThreshold: 1)
    }

    @Test("the status line: ready with counts, not ready with each failing check and its reason")
    func statusLine() throws {
        let monitor = TestFixtures.monitor([Self.tcp("database"), TestFixtures.simulated("cache", critical: false), TestFixtures.simulated("queue")])
        #expect(StatusLine.describe(monitor.snapshot) == "not ready: database down (pending)")
        monitor.record(check: "database", outcome: .failure(CheckFailure(.timeout, "no answer")), duration: .seconds(2))
        #expect(StatusLine.describe(monitor.snapshot) == "not ready: database down (timeout)")
        monitor.record(check: "database", outcome: .success(()), duration: .zero)
        #expect(StatusLine.describe(monitor.snapshot) == "ready: 3/3 checks passing")
        try monitor.setSimulated(check: "cache", failing: true)
        #expect(StatusLine.describe(monitor.snapshot) == "ready: 2/3 checks passing; not critical: cache down (simulated)")
        monitor.setMaintenance(true)
        #expect(StatusLine.describe(monitor.snapshot) == "not ready: maintenance")
        monitor.startDraining()
        #expect(StatusLine.describe(monitor.snapshot) == "draining: readiness off, finishing in-flight requests")
    }

    @Test("a failing liveness check leads the status line")
    func notLive() {
        let monitor = TestFixtures.monitor([TestFixtures.simulated("core", probes: [.liveness, .readiness], startFailing: true)])
        #expect(StatusLine.describe(monitor.snapshot) == "not live: core down (simulated); not ready: core down (simulated)")
    }

    @Test("readyWhen ready: READY=1 once, when readiness first passes after the socket is bound")
    func readyWhenReady() throws {
        let monitor = TestFixtures.monitor([TestFixtures.simulated("database", startFailing: true)])
        var rules = ReadinessNotifications(readyWhen: .ready)
        #expect(rules.observe(monitor.snapshot) == .status("not ready: database down (simulated)"))
        #expect(rules.serverListening(monitor.snapshot) == nil, "bound, but not ready, and the status is unchanged")
        try monitor.setSimulated(check: "database", failing: false)
        #expect(rules.observe(monitor.snapshot) == NotifyMessage.ready.merging(.status("ready: 1/1 checks passing")))
        try monitor.setSimulated(check: "database", failing: true)
        #expect(rules.observe(monitor.snapshot) == .status("not ready: database down (simulated)"))
        try monitor.setSimulated(check: "database", failing: false)
        #expect(rules.observe(monitor.snapshot) == .status("ready: 1/1 checks passing"), "READY=1 is sent once")
    }

    @Test("readiness passing before the socket is bound waits for the bind")
    func readyWaitsForBind() {
        let monitor = TestFixtures.monitor()
        var rules = ReadinessNotifications(readyWhen: .ready)
        #expect(rules.observe(monitor.snapshot) == .status("ready: 2/2 checks passing"))
        #expect(rules.serverListening(monitor.snapshot) == .ready)
    }

    @Test("readyWhen started: READY=1 at bind, whatever the checks say")
    func readyWhenStarted() {
        let monitor = TestFixtures.monitor([TestFixtures.simulated("database", startFailing: true)])
        var rules = ReadinessNotifications(readyWhen: .started)
        _ = rules.observe(monitor.snapshot)
        #expect(rules.serverListening(monitor.snapshot) == .ready)
    }

    @Test("never READY=1 once draining, and older snapshots are ignored")
    func drainingAndOrder() throws {
        let monitor = TestFixtures.monitor([TestFixtures.simulated("database", startFailing: true)])
        var rules = ReadinessNotifications(readyWhen: .ready)
        _ = rules.serverListening(monitor.snapshot)
        let old = monitor.snapshot
        try monitor.setSimulated(check: "database", failing: false)
        monitor.startDraining()
        #expect(rules.observe(monitor.snapshot) == .status("draining: readiness off, finishing in-flight requests"))
        #expect(rules.observe(old) == nil, "an older generation arriving late changes nothing")
        #expect(!rules.sentReady)
    }

    @Test("a refused reload's reason stays on the status line until the next reload")
    func reloadNote() throws {
        let monitor = TestFixtures.monitor()
        var rules = ReadinessNotifications(readyWhen: .ready)
        _ = rules.serverListening(monitor.snapshot)
        let refused = rules.reloadFinished(monitor.snapshot, note: "reload failed, previous config kept: bad.yaml:1:1: oops")
        #expect(refused == NotifyMessage.ready.merging(.status("ready: 2/2 checks passing; reload failed, previous config kept: bad.yaml:1:1: oops")))
        try monitor.setSimulated(check: "database", failing: true)
        #expect(rules.observe(monitor.snapshot) == .status("not ready: database down (simulated); reload failed, previous config kept: bad.yaml:1:1: oops"))
        #expect(rules.reloadFinished(monitor.snapshot, note: nil) == NotifyMessage.ready.merging(.status("not ready: database down (simulated)")))
    }

    @Test("the watchdog beats every interval while liveness passes, and stops when it fails")
    func watchdog() async throws {
        let clock = TestClock()
        let notifier = InMemoryNotifier(watchdogInterval: .seconds(5))
        let monitor = TestFixtures.monitor([TestFixtures.simulated("core", probes: [.liveness])])
        let lifecycle = SystemdLifecycle(notifier: notifier, monitor: monitor, readyWhen: .ready, clock: clock, logger: Self.logger)
        let group = ServiceGroup(services: [lifecycle], logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await clock.waitForSleepers(1)
            #expect(notifier.messages(setting: "WATCHDOG").count == 1)
            clock.advance(by: .seconds(5))
            try await clock.waitForSleepers(1)
            #expect(notifier.messages(setting: "WATCHDOG").count == 2)

            try monitor.setSimulated(check: "core", failing: true)
            clock.advance(by: .seconds(5))
            try await clock.waitForSleepers(1)
            clock.advance(by: .seconds(5))
            try await clock.waitForSleepers(1)
            #expect(notifier.messages(setting: "WATCHDOG").count == 2, "no beat while liveness fails")

            try monitor.setSimulated(check: "core", failing: false)
            clock.advance(by: .seconds(5))
            try await clock.waitForSleepers(1)
            #expect(notifier.messages(setting: "WATCHDOG").count == 3)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("no watchdog interval: no beats, and the service waits for shutdown")
    func noWatchdog() async throws {
        let notifier = InMemoryNotifier()
        let monitor = TestFixtures.monitor()
        let lifecycle = SystemdLifecycle(notifier: notifier, monitor: monitor, readyWhen: .started, clock: TestClock(), logger: Self.logger)
        let group = ServiceGroup(services: [lifecycle], logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            lifecycle.serverListening()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(notifier.messages(setting: "WATCHDOG").isEmpty)
        #expect(notifier.messages(setting: "READY").count == 1)
    }
}
