import Testing

@testable import HealthExporter

@Suite("Probe verdicts from a snapshot")
struct HealthSnapshotTests {
    private func snapshot(_ checks: [CheckSnapshot], maintenance: Bool = false, draining: Bool = false, started: Bool = true) -> HealthSnapshot {
        HealthSnapshot(generation: 1, checks: checks, maintenance: maintenance, draining: draining, startupComplete: started)
    }

    private func check(_ name: String, up: Bool, probes: Set<Probe> = [.readiness], critical: Bool = true) -> CheckSnapshot {
        CheckSnapshot(name: name, kind: "simulated", probes: probes, critical: critical, isUp: up, reason: up ? nil : .simulated)
    }

    @Test("no checks: every probe passes")
    func empty() {
        for probe in Probe.allCases {
            #expect(snapshot([]).verdict(for: probe).status == .pass)
        }
    }

    @Test("a critical failure fails the probe; a non-critical one warns and keeps it healthy", arguments: [true, false])
    func criticality(critical: Bool) {
        let verdict = snapshot([check("a", up: true), check("b", up: false, critical: critical)]).verdict(for: .readiness)
        #expect(verdict.status == (critical ? .fail : .warn))
        #expect(verdict.status.isHealthy == !critical)
    }

    @Test("checks count only on the probes they are configured for")
    func probeMembership() {
        let s = snapshot([check("disk", up: false, probes: [.liveness]), check("db", up: true)])
        #expect(s.verdict(for: .liveness).status == .fail)
        #expect(s.verdict(for: .readiness).status == .pass)
        #expect(s.verdict(for: .readiness).checks.map(\.name) == ["db"])
    }

    @Test("exclude ignores known checks and reports unknown names without failing")
    func exclude() {
        let s = snapshot([check("a", up: false), check("b", up: true)])
        let verdict = s.verdict(for: .readiness, excluding: ["a", "zzz"])
        #expect(verdict.status == .pass)
        #expect(verdict.checks.map(\.name) == ["b"])
        #expect(verdict.excluded == ["a"])
        #expect(verdict.unknownExclusions == ["zzz"])
    }

    @Test("maintenance and draining fail readiness only, with their reason")
    func probeWideReasons() {
        let maintenance = snapshot([check("a", up: true)], maintenance: true)
        #expect(maintenance.verdict(for: .readiness).status == .fail)
        #expect(maintenance.verdict(for: .readiness).reason == .maintenance)
        #expect(maintenance.verdict(for: .liveness).status == .pass)
        let draining = snapshot([], maintenance: true, draining: true)
        #expect(draining.verdict(for: .readiness).reason == .draining)
    }

    @Test("startup passes once started even if a startup check later fails")
    func startupIsSticky() {
        let failing = [check("warmup", up: false, probes: [.startup])]
        #expect(snapshot(failing, started: false).verdict(for: .startup).status == .fail)
        #expect(snapshot(failing, started: true).verdict(for: .startup).status == .pass)
    }

    @Test("a single check's verdict, and nil for a check not on that probe")
    func singleCheck() throws {
        let s = snapshot([check("a", up: false), check("l", up: true, probes: [.liveness])])
        let verdict = try #require(s.verdict(for: .readiness, check: "a"))
        #expect(verdict.status == .fail)
        #expect(s.verdict(for: .readiness, check: "l") == nil)
        #expect(s.verdict(for: .readiness, check: "nope") == nil)
    }

    @Test("answers are re-encoded when status, reason or output change, not when only times and counters move")
    func sameAnswers() throws {
        let tcp = CheckConfig(name: "db", kind: .tcp(address: HostPort(host: "127.0.0.1", port: 5432)), failureThreshold: 1)
        let monitor = TestFixtures.monitor([tcp])
        monitor.record(check: "db", outcome: .success(()), duration: .milliseconds(1))
        let first = monitor.snapshot
        monitor.record(check: "db", outcome: .success(()), duration: .milliseconds(2))
        let second = monitor.snapshot
        #expect(second.generation > first.generation)
        #expect(second.hasSameAnswers(as: first), "only duration and counters moved")
        monitor.record(check: "db", outcome: .failure(CheckFailure(.refused, "refused")), duration: .zero)
        let failed = monitor.snapshot
        #expect(!failed.hasSameAnswers(as: second))
        monitor.record(check: "db", outcome: .failure(CheckFailure(.timeout, "no answer")), duration: .zero)
        let timedOut = monitor.snapshot
        #expect(!timedOut.hasSameAnswers(as: failed), "a new reason changes the /ready detail")
        monitor.record(check: "db", outcome: .failure(CheckFailure(.timeout, "no answer within 2s")), duration: .zero)
        #expect(!monitor.snapshot.hasSameAnswers(as: timedOut), "a new output, same reason")
        let again = monitor.snapshot
        monitor.record(check: "db", outcome: .failure(CheckFailure(.timeout, "no answer within 2s")), duration: .milliseconds(5))
        #expect(monitor.snapshot.hasSameAnswers(as: again), "the same failure again")
        // Snapshots built by hand carry no version: compared field by field.
        let a = HealthSnapshot(generation: 1, checks: first.checks, startupComplete: true)
        let b = HealthSnapshot(generation: 2, checks: second.checks, startupComplete: true)
        #expect(a.hasSameAnswers(as: b))
        #expect(!a.hasSameAnswers(as: HealthSnapshot(generation: 3, checks: failed.checks, startupComplete: true)))
    }
}
