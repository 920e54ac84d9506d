import Telemetry
import Testing

@testable import HealthExporter

/// One check's rules, driven step by step as a plain value: no monitor, no clock, no I/O.
@Suite("CheckState: thresholds, staleness, simulated flag, heartbeat")
struct CheckStateTests {
    private static func time(_ seconds: Int) -> MonitorTime {
        MonitorTime(wall: TestFixtures.pinnedTime, uptime: .seconds(seconds))
    }

    private static let refused: Result<Void, CheckFailure> = .failure(CheckFailure(.refused, "connect to 127.0.0.1:9: connection refused"))

    private static func scheduled(failureThreshold: Int = 3, successThreshold: Int = 2) -> CheckConfig {
        CheckConfig(
            name: "upstream", kind: .tcp(address: HostPort(host: "127.0.0.1", port: 9)), interval: .seconds(10), timeout: .seconds(2),
            failureThreshold: failureThreshold, successThreshold: successThreshold)
    }

    @Test("scheduled: pending until a result, up after successThreshold, down after failureThreshold", arguments: [1, 2, 3])
    func thresholds(_ failureThreshold: Int) {
        var state = CheckState(Self.scheduled(failureThreshold: failureThreshold), now: Self.time(0))
        #expect(!state.snapshot.isUp && state.snapshot.reason == .pending)
        state.record(.success(()), duration: .milliseconds(3), now: Self.time(1))
        #expect(!state.snapshot.isUp, "one success of two")
        state.record(.success(()), duration: .milliseconds(3), now: Self.time(2))
        #expect(state.snapshot.isUp && state.snapshot.reason == nil)
        for failure in 1...failureThreshold {
            state.record(Self.refused, duration: .milliseconds(1), now: Self.time(2 + failure))
            #expect(state.snapshot.isUp == (failure < failureThreshold), "after \(failure) of \(failureThreshold) failures")
            #expect(state.snapshot.reason == .refused, "the latest failure's reason shows even within threshold")
        }
        #expect(state.snapshot.consecutiveFailures == failureThreshold)
        #expect(state.snapshot.lastDuration == .milliseconds(1))
    }

    @Test("scheduled: stale after three intervals plus the timeout without a result, once")
    func staleness() {
        var state = CheckState(Self.scheduled(), now: Self.time(0))
        state.record(.success(()), duration: .zero, now: Self.time(1))
        state.record(.success(()), duration: .zero, now: Self.time(1))
        #expect(!state.isStale(at: Self.time(33)), "32 s: at the limit, not past it")
        #expect(state.isStale(at: Self.time(34)))
        state.markStale(now: Self.time(34))
        #expect(!state.snapshot.isUp && state.snapshot.reason == .stale)
        #expect(state.snapshot.output == "no result for 33s (stale after 32s)")
        #expect(!state.isStale(at: Self.time(100)), "already stale: reported once")
        state.record(.success(()), duration: .zero, now: Self.time(101))
        state.record(.success(()), duration: .zero, now: Self.time(102))
        #expect(state.snapshot.isUp, "results again: up after the success threshold")
    }

    @Test("simulated: known at once, flips without thresholds, never stale, ignores run results", arguments: [true, false])
    func simulated(_ startFailing: Bool) {
        let config = TestFixtures.simulated("database", detail: "Database not available", startFailing: startFailing)
        var state = CheckState(config, now: Self.time(0))
        #expect(state.snapshot.isUp == !startFailing)
        #expect(state.snapshot.output == (startFailing ? "Database not available" : nil))
        #expect(!state.takesRunResults)
        #expect(state.simulatedDetail == .some("Database not available"))
        state.setFlag(failing: !startFailing, detail: "Database not available", now: TestFixtures.pinnedTime)
        #expect(state.snapshot.isUp == startFailing, "one flip is enough")
        #expect(!state.isStale(at: Self.time(1_000_000)))
    }

    @Test("heartbeat: up from the start, stale when beats stop for its timeout")
    func heartbeat() {
        var state = CheckState(CheckKind.heartbeatCheck(timeout: .seconds(5)), now: Self.time(0))
        #expect(state.isHeartbeat && state.snapshot.isUp && state.snapshot.probes == [.liveness])
        #expect(state.snapshot.name == CheckKind.HeartbeatOptions.checkName && state.snapshot.kind == "heartbeat")
        state.record(.success(()), duration: .zero, now: Self.time(4))
        #expect(!state.isStale(at: Self.time(9)))
        #expect(state.isStale(at: Self.time(10)))
    }
}

/// A run that passes with a ``CheckWarning`` (a certificate near its end).
@Suite("CheckState: warnings keep a check up and report warn")
struct CheckStateWarningTests {
    private static func time(_ seconds: Int) -> MonitorTime {
        MonitorTime(wall: TestFixtures.pinnedTime, uptime: .seconds(seconds))
    }

    private static let expiring = CheckRunResult(
        .warn(CheckWarning(.expiring, "TLS 127.0.0.1:8443: certificate expires in 5d")),
        certificateNotAfter: WallClockTimestamp(nanosecondsSinceEpoch: 1_800_000_000_000_000_000))

    @Test("a critical check that warns is up, warn, with the reason; a plain pass clears it; the certificate is kept when a run does not reach it")
    func warningLifecycle() {
        let config = CheckConfig(name: "edge", kind: .tcp(address: HostPort(host: "127.0.0.1", port: 9)), failureThreshold: 2, successThreshold: 1)
        var state = CheckState(config, now: Self.time(0))
        state.record(Self.expiring, duration: .milliseconds(2), now: Self.time(1))
        #expect(state.snapshot.isUp && state.snapshot.isDegraded)
        #expect(state.snapshot.status == .warn, "warn even though the check is critical")
        #expect(state.snapshot.reason == .expiring)
        #expect(state.snapshot.certificateNotAfter == Self.expiring.certificateNotAfter)
        #expect(state.snapshot.consecutiveSuccesses == 1 && state.snapshot.consecutiveFailures == 0)

        state.record(CheckRunResult(.pass), duration: .milliseconds(2), now: Self.time(2))
        #expect(state.snapshot.status == .pass && state.snapshot.reason == nil && !state.snapshot.isDegraded)
        #expect(state.snapshot.certificateNotAfter == Self.expiring.certificateNotAfter, "kept: the run reported none")

        state.record(Self.expiring, duration: .milliseconds(2), now: Self.time(3))
        state.record(.failure(CheckFailure(.refused, "refused")), duration: .zero, now: Self.time(4))
        #expect(state.snapshot.isUp && !state.snapshot.isDegraded && state.snapshot.reason == .refused, "within threshold: up, the failure's reason shows")
        state.record(.failure(CheckFailure(.refused, "refused")), duration: .zero, now: Self.time(5))
        #expect(!state.snapshot.isUp && state.snapshot.status == .fail)
    }

    @Test("the monitor logs a warning once per warning episode and keeps readiness at 200")
    func warningEvents() {
        let config = CheckConfig(name: "edge", kind: .tcp(address: HostPort(host: "127.0.0.1", port: 9)), successThreshold: 1)
        var state = MonitorState(checks: [config], now: Self.time(0))
        let first = state.record("edge", result: Self.expiring, duration: .zero, now: Self.time(1))
        #expect(first.contains { if case .checkWarning = $0 { return true } else { return false } })
        let again = state.record("edge", result: Self.expiring, duration: .zero, now: Self.time(2))
        #expect(!again.contains { if case .checkWarning = $0 { return true } else { return false } }, "no new entry while the warning holds")
        #expect(state.snapshot().verdict(for: .readiness).status.isHealthy)
    }
}
