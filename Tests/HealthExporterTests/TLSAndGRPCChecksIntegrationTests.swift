import Foundation
import Telemetry
import Testing

@testable import HealthExporter

/// The TLS-speaking check kinds and the grpc kind against real servers the
/// tests start on loopback, with certificates made by the real `openssl`:
/// `openssl s_server` (tls), Python's ssl + http.server (http options,
/// mTLS), PostgreSQL 15 with `ssl=on` (sslmode), redis-server with
/// `tls-port` and an ACL user (rediss://), and grpcio's own health servicer
/// (grpc). Checks are configured from YAML, as users write them.
@Suite("TLS, HTTP options and gRPC checks against real servers", .serialized, .timeLimit(.minutes(3)))
struct TLSAndGRPCChecksIntegrationTests {
    private static let day: TimeInterval = 86_400

    /// Runs the checks of `yaml` (a `checks:` list) until every one has a
    /// result, then `body`.
    private static func run(_ yaml: String, _ body: (HealthMonitor) async throws -> Void) async throws {
        let configs = try ConfigLoader.parse(yaml: yaml, source: "test.yaml").checks
        try await CheckHarness.run(configs) { monitor in
            try await eventually("every check has a result", within: .seconds(20), detail: { describe(monitor.snapshot) }) {
                monitor.snapshot.checks.allSatisfy { $0.reason != .pending }
            }
            try await body(monitor)
        }
    }

    private static func describe(_ snapshot: HealthSnapshot) -> String {
        CheckHarness.describe(snapshot)
    }

    /// One `checks:` entry at 150 ms, failureThreshold 1.
    private static func check(_ name: String, _ kind: String, _ options: String) -> String {
        "  - {name: \(name), kind: \(kind), interval: 150ms, timeout: 2s, failureThreshold: 1, \(options)}\n"
    }

    @Test("tls kind with openssl s_server: 90 days passes, 5 days warns expiring (probe 200), expired fails expired, wrong CA fails tls")
    func tlsKind() async throws {
        let authority = try TestCertificates()
        let stranger = try TestCertificates(name: "another CA")
        defer { authority.remove(); stranger.remove() }
        let healthy = try authority.leaf(until: 90 * Self.day)
        let expiring = try authority.leaf(until: 5 * Self.day)
        let expired = try authority.leaf(from: -30 * Self.day, until: -Self.day)
        let servers = [try await RealOpenSSLServer(leaf: healthy), try await RealOpenSSLServer(leaf: expiring), try await RealOpenSSLServer(leaf: expired)]
        defer { servers.forEach { $0.stop() } }
        let ca = authority.caCertificate
        let yaml =
            "checks:\n"
            + Self.check("healthy", "tls", "address: 127.0.0.1:\(servers[0].port), caFile: \(ca)")
            + Self.check("expiring", "tls", "address: 127.0.0.1:\(servers[1].port), caFile: \(ca), serverName: localhost")
            + Self.check("expired", "tls", "address: 127.0.0.1:\(servers[2].port), caFile: \(ca)")
            + Self.check("expired-unverified", "tls", "address: 127.0.0.1:\(servers[2].port), tlsVerify: false")
            + Self.check("wrong-ca", "tls", "address: 127.0.0.1:\(servers[0].port), caFile: \(stranger.caCertificate)")
            + Self.check("strict", "tls", "address: 127.0.0.1:\(servers[0].port), caFile: \(ca), certWarn: 100d, certFail: 91d")
        try await Self.run(yaml) { monitor in
            let snapshot = monitor.snapshot
            let healthyCheck = try #require(snapshot.check(named: "healthy"))
            #expect(healthyCheck.status == .pass, "\(Self.describe(snapshot))")
            #expect(healthyCheck.certificateNotAfter?.nanosecondsSinceEpoch == Int64(healthy.notAfter) * 1_000_000_000)

            let warned = try #require(snapshot.check(named: "expiring"))
            #expect(warned.isUp && warned.status == .warn && warned.reason == .expiring, "\(Self.describe(snapshot))")
            #expect(warned.certificateNotAfter?.nanosecondsSinceEpoch == Int64(expiring.notAfter) * 1_000_000_000)
            #expect(warned.output == "TLS 127.0.0.1:\(servers[1].port): certificate expires at \(WallClockTimestamp(nanosecondsSinceEpoch: Int64(expiring.notAfter) * 1_000_000_000).rfc3339), in 5d", "\(warned.output ?? "")")

            for name in ["expired", "expired-unverified"] {
                let check = try #require(snapshot.check(named: name))
                #expect(check.status == .fail && check.reason == .expired, "\(Self.describe(snapshot))")
                #expect(check.certificateNotAfter?.nanosecondsSinceEpoch == Int64(expired.notAfter) * 1_000_000_000)
            }
            #expect(snapshot.check(named: "wrong-ca")?.reason == .tls, "\(Self.describe(snapshot))")
            #expect(snapshot.check(named: "wrong-ca")?.output?.contains("handshake failed") == true)
            // 90 days left is inside certFail: 91d.
            #expect(snapshot.check(named: "strict")?.reason == .expired, "\(Self.describe(snapshot))")
        }
    }

    @Test("http options against a real HTTPS server with mTLS: method, literal and file headers, body, bodyJSONPath; each mismatch fails its way")
    func httpOptions() async throws {
        let authority = try TestCertificates()
        defer { authority.remove() }
        let serverLeaf = try authority.leaf(until: 60 * Self.day)
        let client = try authority.leaf(until: 60 * Self.day, commonName: "health-exporter", client: true)
        let token = "Bearer tok-\(UInt32.random(in: 0...UInt32.max))"
        let tokenFile = try TemporaryFile.write(token + "\n")
        defer { TemporaryFile.remove(tokenFile) }
        let server = try await RealHTTPSServer(
            leaf: serverLeaf, clientCA: authority.caCertificate, method: "POST", headers: ["Authorization": token, "X-Probe": "health"],
            body: "{\"ping\":1}")
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/health"
        let tls = "caFile: \(authority.caCertificate), certFile: \(client.certificate), keyFile: \(client.key)"
        let good = "method: POST, headers: {X-Probe: health}, headerFiles: {Authorization: \(tokenFile)}, body: '{\"ping\":1}'"
        let yaml =
            "checks:\n"
            + Self.check("full", "http", "url: \(url), \(good), \(tls), bodyJSONPath: .status, bodyEquals: UP")
            + Self.check("nested", "http", "url: \(url), \(good), \(tls), bodyJSONPath: '.checks[0].state', bodyEquals: ok")
            + Self.check("wrong-json", "http", "url: \(url), \(good), \(tls), bodyJSONPath: .status, bodyEquals: GREEN")
            + Self.check("no-token", "http", "url: \(url), method: POST, headers: {X-Probe: health}, body: '{\"ping\":1}', \(tls)")
            + Self.check("wrong-method", "http", "url: \(url), headers: {X-Probe: health}, headerFiles: {Authorization: \(tokenFile)}, \(tls)")
            + Self.check("no-client-cert", "http", "url: \(url), \(good), caFile: \(authority.caCertificate)")
        try await Self.run(yaml) { monitor in
            let snapshot = monitor.snapshot
            #expect(snapshot.check(named: "full")?.status == .pass, "\(Self.describe(snapshot))")
            #expect(snapshot.check(named: "full")?.certificateNotAfter?.nanosecondsSinceEpoch == Int64(serverLeaf.notAfter) * 1_000_000_000)
            #expect(snapshot.check(named: "nested")?.status == .pass, "\(Self.describe(snapshot))")
            #expect(snapshot.check(named: "wrong-json")?.reason == .body)
            #expect(snapshot.check(named: "wrong-json")?.output == "POST \(url): .status is \"UP\", expected \"GREEN\"")
            #expect(snapshot.check(named: "no-token")?.reason == .status)
            #expect(snapshot.check(named: "no-token")?.output == "POST \(url) answered 401, expected 200-399")
            #expect(snapshot.check(named: "wrong-method")?.output == "GET \(url) answered 400, expected 200-399")
            #expect(snapshot.check(named: "no-client-cert")?.reason == .tls, "\(Self.describe(snapshot))")
            // The token is in no check's state (bodies and logs are made from it).
            #expect(!"\(snapshot.checks)".contains("tok-"), "the header value leaked")
        }
    }

    @Test("postgres sslmode against PostgreSQL with ssl=on: verify-full with the CA passes and reports the certificate; a wrong CA fails tls")
    func postgresTLS() async throws {
        let authority = try TestCertificates()
        let stranger = try TestCertificates(name: "another CA")
        defer { authority.remove(); stranger.remove() }
        let leaf = try authority.leaf(until: 30 * Self.day)
        let postgres = try await RealPostgres(tls: leaf)
        defer { postgres.stop() }
        let passwordFile = try TemporaryFile.write(RealPostgres.password)
        defer { TemporaryFile.remove(passwordFile) }
        let base = "postgres://postgres@127.0.0.1:\(postgres.port)/postgres"
        let yaml =
            "checks:\n"
            + Self.check("full", "postgres", "url: '\(base)?sslmode=verify-full&sslrootcert=\(authority.caCertificate)', passwordFile: \(passwordFile)")
            + Self.check("ca-only", "postgres", "url: '\(base)?sslmode=verify-ca&sslrootcert=\(authority.caCertificate)', passwordFile: \(passwordFile)")
            + Self.check("require", "postgres", "url: '\(base)?sslmode=require', passwordFile: \(passwordFile)")
            + Self.check("plain", "postgres", "url: '\(base)?sslmode=disable', passwordFile: \(passwordFile)")
            + Self.check("wrong-ca", "postgres", "url: '\(base)?sslmode=verify-full&sslrootcert=\(stranger.caCertificate)', passwordFile: \(passwordFile)")
        try await Self.run(yaml) { monitor in
            let snapshot = monitor.snapshot
            for name in ["full", "ca-only", "require", "plain"] {
                #expect(snapshot.check(named: name)?.status == .pass, "\(Self.describe(snapshot))")
            }
            #expect(snapshot.check(named: "full")?.certificateNotAfter?.nanosecondsSinceEpoch == Int64(leaf.notAfter) * 1_000_000_000)
            #expect(snapshot.check(named: "plain")?.certificateNotAfter == nil)
            #expect(snapshot.check(named: "wrong-ca")?.reason == .tls, "\(Self.describe(snapshot))")
        }
        // The server really saw TLS sessions from the verified checks.
        let encrypted = try postgres.psql("SELECT count(*) FROM pg_stat_ssl WHERE ssl")
        #expect(Int(encrypted) ?? 0 >= 1, "pg_stat_ssl shows \(encrypted) TLS sessions")
    }

    @Test("redis url rediss:// with an ACL user against redis-server's tls-port: passes, wrong password is auth, wrong CA is tls")
    func redisTLS() async throws {
        let authority = try TestCertificates()
        let stranger = try TestCertificates(name: "another CA")
        defer { authority.remove(); stranger.remove() }
        let leaf = try authority.leaf(until: 20 * Self.day)
        let redis = try await RealRedis(tls: leaf, users: ["probe": "probe-secret"])
        let good = try TemporaryFile.write("probe-secret\n")
        let bad = try TemporaryFile.write("nope\n")
        defer { TemporaryFile.remove(good); TemporaryFile.remove(bad) }
        let url = "rediss://probe@127.0.0.1:\(redis.port)"
        let yaml =
            "checks:\n"
            + Self.check("cache", "redis", "url: '\(url)', caFile: \(authority.caCertificate), passwordFile: \(good)")
            + Self.check("wrong-password", "redis", "url: '\(url)', caFile: \(authority.caCertificate), passwordFile: \(bad)")
            + Self.check("wrong-ca", "redis", "url: '\(url)', caFile: \(stranger.caCertificate), passwordFile: \(good)")
            + Self.check("plaintext", "redis", "url: 'redis://127.0.0.1:\(redis.port)'")
        try await Self.run(yaml) { monitor in
            let snapshot = monitor.snapshot
            #expect(snapshot.check(named: "cache")?.status == .pass, "\(Self.describe(snapshot))")
            #expect(snapshot.check(named: "cache")?.certificateNotAfter?.nanosecondsSinceEpoch == Int64(leaf.notAfter) * 1_000_000_000)
            #expect(snapshot.check(named: "wrong-password")?.reason == .auth, "\(Self.describe(snapshot))")
            #expect(snapshot.check(named: "wrong-password")?.output?.contains("WRONGPASS") == true)
            #expect(snapshot.check(named: "wrong-ca")?.reason == .tls, "\(Self.describe(snapshot))")
            // A plaintext client on a TLS port gets no RESP back.
            #expect(snapshot.check(named: "plaintext")?.status == .fail)
            #expect(!"\(snapshot.checks)".contains("probe-secret"))
        }
        try await redis.stop()
    }

    @Test("grpc kind against grpcio's health servicer: SERVING passes, NOT_SERVING and an unknown service fail status, TLS, no server refused")
    func grpcKind() async throws {
        let authority = try TestCertificates()
        defer { authority.remove() }
        let plain = try await RealGRPCHealthServer()
        let secure = try await RealGRPCHealthServer(leaf: try authority.leaf(until: 40 * Self.day))
        let http = try await RealHTTPServer(status: 200)
        defer { plain.stop(); secure.stop(); http.stop() }
        let closed = try await FreePort.find()
        let yaml =
            "checks:\n"
            + Self.check("server", "grpc", "address: 127.0.0.1:\(plain.port)")
            + Self.check("payments", "grpc", "address: 127.0.0.1:\(plain.port), service: payments")
            + Self.check("unknown", "grpc", "address: 127.0.0.1:\(plain.port), service: nosuch")
            + Self.check("secure", "grpc", "address: 127.0.0.1:\(secure.port), service: payments, tls: true, caFile: \(authority.caCertificate)")
            + Self.check("not-grpc", "grpc", "address: 127.0.0.1:\(http.port)")
            + Self.check("closed", "grpc", "address: 127.0.0.1:\(closed)")
        try await Self.run(yaml) { monitor in
            let snapshot = monitor.snapshot
            #expect(snapshot.check(named: "server")?.status == .pass, "\(Self.describe(snapshot))")
            #expect(snapshot.check(named: "payments")?.status == .pass, "\(Self.describe(snapshot))")
            #expect(snapshot.check(named: "unknown")?.reason == .status, "\(Self.describe(snapshot))")
            #expect(snapshot.check(named: "secure")?.status == .pass, "\(Self.describe(snapshot))")
            #expect(snapshot.check(named: "secure")?.certificateNotAfter != nil)
            #expect(snapshot.check(named: "not-grpc")?.reason == .protocol, "\(Self.describe(snapshot))")
            #expect(snapshot.check(named: "closed")?.reason == .refused)

            plain.set("payments", "NOT_SERVING")
            try await eventually("payments NOT_SERVING", detail: { Self.describe(monitor.snapshot) }) {
                monitor.snapshot.check(named: "payments")?.reason == .status
            }
            #expect(monitor.snapshot.check(named: "payments")?.output == "grpc 127.0.0.1:\(plain.port) \"payments\": NOT_SERVING")
            #expect(monitor.snapshot.check(named: "server")?.status == .pass, "the server as a whole still serves")
            plain.set("payments", "SERVING")
            try await eventually("payments back") { monitor.snapshot.check(named: "payments")?.status == .pass }
        }
    }

    @Test("the real binary: a critical tls check with 5 days left keeps /readyz 200, shows warn expiring with certificateNotAfter, exports the exact notAfter; a header token shows in no answer, metric or log")
    func binary() async throws {
        let authority = try TestCertificates()
        defer { authority.remove() }
        let expiring = try authority.leaf(until: 5 * Self.day)
        let tlsServer = try await RealOpenSSLServer(leaf: expiring)
        let token = "Bearer leak-canary-\(UInt32.random(in: 0...UInt32.max))"
        let tokenFile = try TemporaryFile.write(token)
        let httpsServer = try await RealHTTPSServer(
            leaf: try authority.leaf(until: 60 * Self.day), method: "GET", headers: ["Authorization": "Bearer the-right-one"], body: "")
        defer { tlsServer.stop(); httpsServer.stop(); TemporaryFile.remove(tokenFile) }
        let config = try TemporaryFile.write(
            """
            checks:
              - {name: edge, kind: tls, address: 127.0.0.1:\(tlsServer.port), caFile: \(authority.caCertificate), interval: 200ms}
              - {name: api, kind: http, url: https://127.0.0.1:\(httpsServer.port)/health, headerFiles: {Authorization: \(tokenFile)}, caFile: \(authority.caCertificate), interval: 200ms, critical: false}

            """, suffix: ".yaml")
        defer { TemporaryFile.remove(config) }
        let exporter = try ExecutableUnderTest.Service(["--config", config, "--listen", "127.0.0.1:0"])
        let port = try #require(exporter.listeningPort())
        _ = exporter.waitForLine(containing: "\"msg\":\"check warning\"")
        _ = exporter.waitForLine(containing: "\"msg\":\"check down\"")
        let client = try await RawHTTPClient.connect(port: port)
        let ready = try await client.request("GET", "/readyz?verbose")
        #expect(ready.status == 200, "a warning never fails the probe: \(ready.body)")
        let edge = try await client.request("GET", "/readyz/edge?verbose")
        let notAfter = WallClockTimestamp(nanosecondsSinceEpoch: Int64(expiring.notAfter) * 1_000_000_000)
        #expect(edge.body.contains("\"status\":\"warn\""), "\(edge.body)")
        #expect(edge.body.contains("\"reason\":\"expiring\""), "\(edge.body)")
        #expect(edge.body.contains("\"certificateNotAfter\":\"\(notAfter.rfc3339)\""), "\(edge.body)")
        let metrics = try await client.request("GET", "/metrics")
        #expect(metrics.body.contains("health_check_tls_cert_expiry_timestamp_seconds{check=\"edge\"} \(expiring.notAfter)\n"))
        #expect(metrics.body.contains("health_check_failures_total{check=\"api\",reason=\"status\"}"))
        await client.close()
        #expect(exporter.stopSkippingDrain() == 0)
        let everything = ready.body + edge.body + metrics.body + exporter.logLines.joined(separator: "\n")
        #expect(exporter.logLines.contains { $0.contains("\"reason\":\"expiring\"") })
        #expect(!everything.contains("leak-canary"), "the header value leaked")
    }
}
