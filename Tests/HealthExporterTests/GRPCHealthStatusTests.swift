import Testing

@testable import HealthExporter
@testable import HealthExporterGRPC

/// The gRPC service names and their statuses, and the watch fan-out, from a
/// monitor's snapshots: no server, no network.
@Suite("gRPC health statuses and watchers, from the monitor")
struct GRPCHealthStatusTests {
    private static func checks() -> [CheckConfig] {
        [
            TestFixtures.simulated("database", probes: [.readiness, .startup]),
            TestFixtures.simulated("optional", critical: false),
            TestFixtures.simulated("disk", probes: [.liveness]),
        ]
    }

    @Test("\"\" and readiness follow the readiness verdict, liveness and startup theirs, each check its own status; warn is SERVING")
    func mapping() throws {
        let monitor = TestFixtures.monitor(Self.checks())
        var services = HealthServices(monitor.snapshot)
        #expect(services[""] == .serving && services["readiness"] == .serving && services["liveness"] == .serving)
        #expect(services["nope"] == nil)
        #expect(services.watched("nope") == .serviceUnknown)

        try monitor.setSimulated(check: "optional", failing: true)
        services = HealthServices(monitor.snapshot)
        #expect(services["optional"] == .serving, "non-critical failure is warn: serving")
        #expect(services[""] == .serving)

        try monitor.setSimulated(check: "disk", failing: true)
        services = HealthServices(monitor.snapshot)
        #expect(services["liveness"] == .notServing && services["disk"] == .notServing)
        #expect(services["readiness"] == .serving, "disk is on liveness only")

        try monitor.setSimulated(check: "database", failing: true)
        services = HealthServices(monitor.snapshot)
        #expect(services[""] == .notServing && services["readiness"] == .notServing && services["database"] == .notServing)
    }

    @Test("draining and maintenance turn \"\" and readiness NOT_SERVING, nothing else")
    func drainingAndMaintenance() {
        let monitor = TestFixtures.monitor(Self.checks())
        monitor.setMaintenance(true)
        var services = HealthServices(monitor.snapshot)
        #expect(services[""] == .notServing && services["readiness"] == .notServing)
        #expect(services["database"] == .serving && services["liveness"] == .serving)
        monitor.setMaintenance(false)
        monitor.startDraining()
        services = HealthServices(monitor.snapshot)
        #expect(services[""] == .notServing && services["liveness"] == .serving && services["startup"] == .serving)
    }

    @Test("metric labels stay bounded whatever names clients send")
    func probeLabels() {
        let services = HealthServices(TestFixtures.monitor(Self.checks()).snapshot)
        #expect(["", "readiness", "liveness", "startup", "database", "x\u{1}y"].map(services.probeLabel(for:)) == ["readyz", "readyz", "livez", "startupz", "check", "unknown"])
    }

    @Test("a watch hears its current status at once, then only changes, in order")
    func watchOrder() async throws {
        let monitor = TestFixtures.monitor(Self.checks())
        let watchers = HealthWatchers(limit: 10)
        monitor.subscribe(watchers)
        let readiness = try #require(watchers.watch(""))
        let database = try #require(watchers.watch("database"))
        try monitor.setSimulated(check: "database", failing: true)
        try monitor.setSimulated(check: "optional", failing: true)  // warn: no change for either
        try monitor.setSimulated(check: "database", failing: false)
        monitor.startDraining()
        watchers.finishAll()
        #expect(await collect(readiness.statuses) == [.serving, .notServing, .serving, .notServing])
        #expect(await collect(database.statuses) == [.serving, .notServing, .serving])
        #expect(watchers.watch("") == nil, "no new watches once finished")
    }

    @Test("an unknown name is SERVICE_UNKNOWN until a reload adds it; a removed check's watch goes SERVICE_UNKNOWN")
    func reload() async throws {
        let monitor = TestFixtures.monitor(Self.checks())
        let watchers = HealthWatchers(limit: 10)
        monitor.subscribe(watchers)
        let added = try #require(watchers.watch("queue"))
        let removed = try #require(watchers.watch("optional"))
        let newChecks = [Self.checks()[0], Self.checks()[2], TestFixtures.simulated("queue")]
        monitor.apply(ReloadPlan(from: Self.checks(), to: newChecks))
        watchers.finishAll()
        #expect(await collect(added.statuses) == [.serviceUnknown, .serving])
        #expect(await collect(removed.statuses) == [.serving, .serviceUnknown])
    }

    @Test("the limit refuses one watch too many; ending a watch frees its slot")
    func limit() throws {
        let monitor = TestFixtures.monitor(Self.checks())
        let watchers = HealthWatchers(limit: 2)
        monitor.subscribe(watchers)
        let first = try #require(watchers.watch(""))
        let second = try #require(watchers.watch("liveness"))
        #expect(watchers.watch("startup") == nil)
        #expect(watchers.count == 2)
        first.end()
        #expect(watchers.count == 1)
        let third = watchers.watch("startup")
        #expect(third != nil)
        #expect(watchers.count == 2)
        withExtendedLifetime(second) {}
    }

    @Test("a watcher that never reads keeps only the newest statuses, ending on the true one")
    func stalledWatcher() async throws {
        let monitor = TestFixtures.monitor(Self.checks())
        let watchers = HealthWatchers(limit: 1)
        monitor.subscribe(watchers)
        let watch = try #require(watchers.watch("database"))
        for index in 0..<(HealthWatchers.bufferLimit * 4 + 1) {
            try monitor.setSimulated(check: "database", failing: index % 2 == 0)
        }
        watchers.finishAll()
        let received = await collect(watch.statuses)
        #expect(received.count == HealthWatchers.bufferLimit)
        #expect(received.last == .notServing, "the last flip failed it")
    }
}

private func collect(_ statuses: AsyncStream<ServingStatus>) async -> [ServingStatus] {
    var all: [ServingStatus] = []
    for await status in statuses { all.append(status) }
    return all
}
