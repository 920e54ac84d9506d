import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import HealthExporter

/// The check kinds against real servers, started by the tests on loopback:
/// redis-server and PostgreSQL 15 from Debian, Python's http.server, and a
/// listener that never answers. The scheduler runs on the real clock.
@Suite("Checks against real Redis, PostgreSQL, HTTP and TCP servers", .serialized, .timeLimit(.minutes(2)))
struct DependencyChecksIntegrationTests {
    private static func run(_ configs: [CheckConfig], _ body: (HealthMonitor) async throws -> Void) async throws {
        try await CheckHarness.run(configs, body)
    }

    private static func describe(_ snapshot: HealthSnapshot) -> String {
        CheckHarness.describe(snapshot)
    }

    private static func redis(_ port: Int, password: String? = nil, failureThreshold: Int = 3, successThreshold: Int = 2) -> CheckConfig {
        CheckConfig(
            name: "cache", kind: .redis(.init(address: HostPort(host: "127.0.0.1", port: port), password: password.map(Secret.init))),
            interval: .milliseconds(150), timeout: .seconds(1), failureThreshold: failureThreshold, successThreshold: successThreshold)
    }

    private static func postgres(_ port: Int, password: String) -> CheckConfig {
        CheckConfig(
            name: "database",
            kind: .postgres(.init(host: "127.0.0.1", port: port, user: "postgres", database: "postgres", password: Secret(password))),
            probes: [.readiness, .startup], interval: .milliseconds(200), timeout: .seconds(2), failureThreshold: 1)
    }

    @Test("real Redis and PostgreSQL up: ready, started, and SELECT 1 really ran on the server")
    func allUp() async throws {
        let redis = try await RealRedis()
        let postgres = try await RealPostgres()
        defer { postgres.stop() }
        try await Self.run([Self.redis(redis.port), Self.postgres(postgres.port, password: RealPostgres.password)]) { monitor in
            try await eventually("ready", within: .seconds(30), detail: { Self.describe(monitor.snapshot) }) {
                monitor.snapshot.verdict(for: .readiness).status == .pass
            }
            #expect(monitor.snapshot.verdict(for: .startup).status == .pass)
        }
        // One kept connection, not one per run: the server saw a single backend for the check.
        let backends = try postgres.psql("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
        #expect(backends == "1", "only psql itself remains after the check's connection closed")
        try await redis.stop()
    }

    @Test("Redis stopped: down after failureThreshold runs with reason refused; restarted: up after successThreshold")
    func redisOutage() async throws {
        let redis = try await RealRedis()
        try await Self.run([Self.redis(redis.port, failureThreshold: 3, successThreshold: 2)]) { monitor in
            try await eventually("up") { monitor.snapshot.check(named: "cache")?.isUp == true }
            // The failure count at the very update that took it down (polling could see a later run's).
            let failuresWhenDown = NIOLockedValueBox<Int?>(nil)
            monitor.onSnapshot { snapshot in
                guard let cache = snapshot.check(named: "cache"), !cache.isUp, cache.consecutiveFailures > 0 else { return }
                failuresWhenDown.withLockedValue { if $0 == nil { $0 = cache.consecutiveFailures } }
            }
            try await redis.stop()
            // Within threshold the check stays up while counting failures...
            try await eventually("first failure") { monitor.snapshot.check(named: "cache")?.consecutiveFailures ?? 0 >= 1 }
            let early = try #require(monitor.snapshot.check(named: "cache"))
            if early.consecutiveFailures < 3 { #expect(early.isUp, "still up after \(early.consecutiveFailures) failure(s)") }
            // ...and goes down on the third, with the reason.
            try await eventually("down") { monitor.snapshot.check(named: "cache")?.isUp == false }
            let down = try #require(monitor.snapshot.check(named: "cache"))
            #expect(failuresWhenDown.withLockedValue { $0 } == 3)
            #expect(down.reason == .refused)
            #expect(down.output == "redis 127.0.0.1:\(redis.port): connection refused")
            #expect(monitor.snapshot.verdict(for: .readiness).status == .fail)

            try await redis.start()
            try await eventually("a first success") { monitor.snapshot.check(named: "cache")?.consecutiveSuccesses ?? 0 >= 1 }
            let recovering = try #require(monitor.snapshot.check(named: "cache"))
            if recovering.consecutiveSuccesses < 2 { #expect(!recovering.isUp, "still down after one success") }
            try await eventually("up again") { monitor.snapshot.check(named: "cache")?.isUp == true }
            #expect(monitor.snapshot.check(named: "cache")?.consecutiveSuccesses ?? 0 >= 2)
        }
        try await redis.stop()
    }

    @Test("wrong PostgreSQL password: auth, and the password appears nowhere in the result")
    func postgresAuth() async throws {
        let postgres = try await RealPostgres()
        defer { postgres.stop() }
        let wrong = "not-the-password-\(UInt32.random(in: 0...UInt32.max))"
        try await Self.run([Self.postgres(postgres.port, password: wrong)]) { monitor in
            try await eventually("a failure") { monitor.snapshot.check(named: "database")?.consecutiveFailures ?? 0 >= 1 }
            let check = try #require(monitor.snapshot.check(named: "database"))
            #expect(check.reason == .auth)
            #expect(check.output == "postgres://postgres@127.0.0.1:\(postgres.port)/postgres: authentication failed (SQLSTATE 28P01)")
            #expect(!"\(monitor.snapshot.checks)".contains(wrong))
            #expect(monitor.snapshot.verdict(for: .startup).status == .fail)
        }
    }

    @Test("Redis with requirepass: a wrong password is auth, the right one passes")
    func redisAuth() async throws {
        let redis = try await RealRedis(password: "redis-secret")
        try await Self.run([
            Self.redis(redis.port, password: "wrong", failureThreshold: 1, successThreshold: 1),
            CheckConfig(name: "cache-ok", kind: .redis(.init(address: HostPort(host: "127.0.0.1", port: redis.port), password: Secret("redis-secret"))), interval: .milliseconds(150)),
            CheckConfig(name: "cache-none", kind: .redis(.init(address: HostPort(host: "127.0.0.1", port: redis.port))), interval: .milliseconds(150), failureThreshold: 1),
        ]) { monitor in
            try await eventually("results") { monitor.snapshot.checks.allSatisfy { $0.reason != .pending } }
            #expect(monitor.snapshot.check(named: "cache")?.reason == .auth)
            #expect(monitor.snapshot.check(named: "cache")?.output?.contains("wrong") == false)
            #expect(monitor.snapshot.check(named: "cache-ok")?.isUp == true)
            #expect(monitor.snapshot.check(named: "cache-none")?.reason == .auth)
        }
        try await redis.stop()
    }

    @Test("an HTTP dependency answering 500: status")
    func httpStatus() async throws {
        let server = try await RealHTTPServer(status: 500)
        defer { server.stop() }
        let config = CheckConfig(
            name: "payments", kind: .http(.init(url: "http://127.0.0.1:\(server.port)/healthz?token=abc")),
            interval: .milliseconds(150), failureThreshold: 1)
        try await Self.run([config]) { monitor in
            try await eventually("a failure") { monitor.snapshot.check(named: "payments")?.consecutiveFailures ?? 0 >= 1 }
            let check = try #require(monitor.snapshot.check(named: "payments"))
            #expect(check.reason == .status)
            #expect(check.output == "GET http://127.0.0.1:\(server.port)/healthz answered 500, expected 200-399", "the query string is not shown")
        }
    }

    @Test("a listener that accepts and never answers: timeout, decided by the timeout and recorded once", arguments: ["redis", "http"])
    func silentDependency(_ kind: String) async throws {
        let listener = try await SilentListener()
        let address = HostPort(host: "127.0.0.1", port: listener.port)
        let checkKind: CheckKind =
            kind == "redis" ? .redis(.init(address: address)) : .http(.init(url: "http://127.0.0.1:\(listener.port)/"))
        let config = CheckConfig(name: "hung", kind: checkKind, interval: .seconds(5), timeout: .milliseconds(400), failureThreshold: 1)
        try await Self.run([config]) { monitor in
            try await eventually("the timeout") { monitor.snapshot.check(named: "hung")?.reason == .timeout }
            let check = try #require(monitor.snapshot.check(named: "hung"))
            // What the code decided, not how fast this machine is: the timeout
            // branch wrote the result, it waited the whole timeout, and the
            // run was recorded once, well before the next one was due.
            // The scheduler's deadline or the client's own (the HTTP client is given the same timeout) wins the race.
            let timeoutOutputs = ["hung: no answer within 400ms", "GET http://127.0.0.1:\(listener.port)/: timed out"]
            #expect(timeoutOutputs.contains(check.output ?? ""), "\(check.output ?? "no output")")
            #expect(check.consecutiveFailures == 1)
            let duration = try #require(check.lastDuration)
            #expect(duration >= .milliseconds(400), "it waited the configured timeout")
            #expect(duration < config.interval, "recorded at the timeout, not at the next run")
        }
        await listener.close()
    }

    @Test("tcp, dns, disk and file against the real machine")
    func localKinds() async throws {
        let marker = try TemporaryFile.write("x")
        defer { TemporaryFile.remove(marker) }
        let open = try await SilentListener()
        let configs = [
            CheckConfig(name: "tcp-open", kind: .tcp(address: HostPort(host: "127.0.0.1", port: open.port)), interval: .milliseconds(150)),
            CheckConfig(name: "tcp-closed", kind: .tcp(address: HostPort(host: "127.0.0.1", port: try await FreePort.find())), interval: .milliseconds(150), failureThreshold: 1),
            CheckConfig(name: "dns-ok", kind: .dns(host: "localhost"), interval: .milliseconds(150)),
            CheckConfig(name: "dns-bad", kind: .dns(host: "no-such-host.invalid"), interval: .milliseconds(150), failureThreshold: 1),
            CheckConfig(name: "disk-ok", kind: .disk(.init(path: "/tmp", minFree: 1, writable: true)), interval: .milliseconds(150)),
            CheckConfig(name: "disk-full", kind: .disk(.init(path: "/tmp", minFree: Int64.max / 2)), interval: .milliseconds(150), failureThreshold: 1),
            CheckConfig(name: "file-ok", kind: .file(.init(path: marker, maxAge: .seconds(3600))), interval: .milliseconds(150)),
            CheckConfig(name: "file-missing", kind: .file(.init(path: "/nonexistent/marker")), interval: .milliseconds(150), failureThreshold: 1),
        ]
        try await Self.run(configs) { monitor in
            try await eventually("results") { monitor.snapshot.checks.allSatisfy { $0.reason != .pending } }
            let snapshot = monitor.snapshot
            for name in ["tcp-open", "dns-ok", "disk-ok", "file-ok"] {
                #expect(snapshot.check(named: name)?.isUp == true, "\(name): \(snapshot.check(named: name)?.output ?? "")")
            }
            #expect(snapshot.check(named: "tcp-closed")?.reason == .refused)
            #expect(snapshot.check(named: "dns-bad")?.reason == .dns)
            #expect(snapshot.check(named: "disk-full")?.output?.contains("below minFree") == true)
            #expect(snapshot.check(named: "file-missing")?.output == "/nonexistent/marker: No such file or directory")
        }
        await open.close()
    }
}
