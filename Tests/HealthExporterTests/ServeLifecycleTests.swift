import Foundation
import Testing

@testable import HealthExporter

/// The real binary under the signals and sockets a service manager uses:
/// `NOTIFY_SOCKET` (a datagram socket of our own, as systemd's), SIGTERM,
/// SIGHUP, and a listener passed by `systemd-socket-activate`.
@Suite("The real binary: sd_notify, drain, reload, socket activation", .timeLimit(.minutes(2)))
struct ServeLifecycleTests {
    private static let config = """
        listen: 127.0.0.1:0
        admin: {enabled: true}
        drain: {delay: 30s, timeout: 40s}
        checks:
          - {name: database, kind: simulated, startFailing: true, detail: "Database not available"}
        """

    @Test("READY=1 only once readiness passes; STATUS on each change; WATCHDOG=1 until liveness fails; STOPPING=1 on SIGTERM")
    func notify() async throws {
        let socket = try NotifySocket()
        let path = try TemporaryFile.write(Self.config, suffix: ".yaml")
        defer { TemporaryFile.remove(path) }
        let service = try ExecutableUnderTest.Service(
            ["--config", path], environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "400000"])
        let port = try #require(service.listeningPort())

        let notReady = try #require(socket.waitFor("STATUS", within: 5))
        #expect(notReady.message["STATUS"] == "not ready: database down (simulated)")
        #expect(notReady.message["READY"] == nil, "not ready: no READY=1")
        let client = try await RawHTTPClient.connect(port: port)
        #expect(try await client.request("POST", "/admin/checks/database/recover").status == 200)
        let ready = try #require(socket.waitFor("READY", within: 5))
        #expect(ready.message["STATUS"] == "ready: 1/1 checks passing")
        #expect(socket.waitFor("WATCHDOG", within: 2) != nil, "the watchdog beats at half of WATCHDOG_USEC")

        // The test hook: liveness goes stale after the 5 s heartbeat timeout, and the beats stop.
        #expect(try await client.request("POST", "/admin/heartbeat/stop").status == 200)
        var live = 200
        for _ in 0..<100 where live == 200 {
            try await Task.sleep(for: .milliseconds(100))
            live = try await client.request("GET", "/livez").status
        }
        #expect(live == 503, "log so far: \(service.logLines.suffix(5))")
        _ = socket.waitFor("\u{0}drain", within: 0.5)  // beats sent before the check went stale
        #expect(socket.waitFor("WATCHDOG", within: 1.5) == nil, "no WATCHDOG=1 while liveness fails")

        service.signal(SIGTERM)
        #expect(socket.waitFor("STOPPING", within: 5) != nil)
        #expect(try await client.request("GET", "/readyz").status == 503, "readiness is off while draining")
        await client.close()
        #expect(service.waitForLine(containing: "\"event\":\"draining\"") != nil)
        // The drain delay is 30 s; a second signal ends it at once.
        let secondSignal = ContinuousClock.now
        #expect(service.stop() == 0)
        #expect(ContinuousClock.now - secondSignal < .seconds(20))
    }

    @Test("SIGHUP reloads the file: a new check appears, a broken file is refused and the old config keeps serving")
    func reload() async throws {
        let path = try TemporaryFile.write(Self.config, suffix: ".yaml")
        defer { TemporaryFile.remove(path) }
        let service = try ExecutableUnderTest.Service(["--config", path])
        let port = try #require(service.listeningPort())
        let client = try await RawHTTPClient.connect(port: port)
        #expect(try await client.request("POST", "/admin/checks/database/recover").status == 200)

        try TemporaryFile.overwrite(path, with: Self.config + "\n  - {name: queue, kind: simulated}\n")
        service.signal(SIGHUP)
        let reloaded = try #require(service.waitForLine(containing: "configuration reloaded"))
        #expect(reloaded.contains(#""event":"reload_ok""#) && reloaded.contains(#""added":"queue""#))
        let verbose = try await client.request("GET", "/readyz?verbose")
        #expect(verbose.status == 200, "database stayed recovered across the reload")
        #expect(verbose.body.contains(#""queue":{"status":"pass""#))

        try TemporaryFile.overwrite(path, with: "checks:\n  - {name: queue, kind: simulated, interval: soon}\n")
        service.signal(SIGHUP)
        let refused = try #require(service.waitForLine(containing: "reload failed"))
        #expect(refused.contains(#""event":"reload_failed""#) && refused.contains("soon"), "\(refused)")
        #expect(try await client.request("GET", "/readyz/database").status == 200)
        let metrics = try await client.request("GET", "/metrics").body
        #expect(metrics.contains("health_exporter_config_last_reload_successful 0"))
        #expect(metrics.contains(#"health_check_up{check="queue"} 1"#))
        await client.close()
        #expect(service.stopSkippingDrain() == 0)
    }

    @Test("limits.releaseStartupPages: the start-up pages leave the resident set, and probes, metrics and reloads go on")
    func releaseStartupPages() async throws {
        let config = """
            listen: 127.0.0.1:0
            admin: {enabled: true}
            limits: {releaseStartupPages: 1s}
            checks:
              - {name: database, kind: simulated}
            """
        let path = try TemporaryFile.write(config, suffix: ".yaml")
        defer { TemporaryFile.remove(path) }
        let service = try ExecutableUnderTest.Service(["--config", path])
        let port = try #require(service.listeningPort())
        let released = try #require(service.waitForLine(containing: "start-up pages released"))
        func kilobytes(_ key: String) -> Int? {
            released.firstRange(of: "\"\(key)\":\"").flatMap { range in Int(released[range.upperBound...].prefix { $0.isNumber }) }
        }
        let before = try #require(kilobytes("rss_before_kB"), "\(released)")
        let after = try #require(kilobytes("rss_after_kB"), "\(released)")
        #expect(after < before / 2, "\(released)")

        let client = try await RawHTTPClient.connect(port: port)
        #expect(try await client.request("GET", "/livez").status == 200)
        #expect(try await client.request("GET", "/readyz?verbose").body.contains(#""database":{"status":"pass""#))
        #expect(try await client.request("GET", "/metrics").body.contains(#"health_check_up{check="database"} 1"#))
        try TemporaryFile.overwrite(path, with: config + "\n  - {name: queue, kind: simulated}\n")
        service.signal(SIGHUP)
        #expect(service.waitForLine(containing: "configuration reloaded") != nil, "the configuration reader faults back in")
        #expect(try await client.request("GET", "/readyz/queue").status == 200)
        await client.close()
        #expect(service.stopSkippingDrain() == 0)
    }

    @Test("serves on the socket systemd-socket-activate passes (LISTEN_FDS)")
    func socketActivation() async throws {
        let port = try await FreePort.find()
        let binary = try ExecutableUnderTest.url().path
        let service = try ExecutableUnderTest.Service(
            ["--listen=127.0.0.1:\(port)", binary, "--listen", "127.0.0.1:1"],
            launcher: "/usr/bin/systemd-socket-activate")
        // systemd-socket-activate listens first, and starts the binary on the first connection.
        #expect(service.waitForLine(containing: "Listening on") != nil)
        let client = try await RawHTTPClient.connect(port: port)
        let live = try await client.request("GET", "/livez")
        #expect(live.status == 200)
        let listening = try #require(service.waitForLine(containing: "\"msg\":\"listening\""))
        #expect(listening.contains(#""socket":"systemd""#), "not bound to --listen 127.0.0.1:1: \(listening)")
        await client.close()
        #expect(service.stopSkippingDrain() == 0)
    }
}
