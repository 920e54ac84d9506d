import Testing
import Logging
import Telemetry

@testable import HealthExporter

@Suite("Configuration loading and validation")
struct ConfigLoaderTests {
    @Test("an empty document gives every documented default")
    func defaults() throws {
        let config = try ConfigLoader.parse(yaml: "", source: "empty.yaml")
        #expect(config == HealthExporterConfig())
        #expect(config.listen.description == "127.0.0.1:8000")
        #expect(config.admin.enabled == false)
        #expect(config.drain == .init(delay: .seconds(5), timeout: .seconds(25)))
        #expect(config.expose.details == .loopback, "detail for local curl and port-forward, not the network")
        #expect(config.root == .statusz)
        #expect(config.limits.headerTimeout == .seconds(10))
        #expect(config.limits.bodyTimeout == .seconds(10))
        #expect(config.limits.releaseStartupPages == .seconds(10))
        #expect(config.grpc == nil, "no gRPC unless asked for")
    }

    @Test("grpc: listen, with limits defaulted; a check may be called readiness while gRPC is off")
    func grpc() throws {
        let config = try ConfigLoader.parse(yaml: "grpc: {listen: 0.0.0.0:8001}\n", source: "grpc.yaml")
        #expect(config.grpc == HealthExporterConfig.GRPC(listen: ListenAddress(host: "0.0.0.0", port: 8001), maxConnections: 256, maxWatchers: 1024))
        let limited = try ConfigLoader.parse(yaml: "grpc: {listen: \"[::1]:9\", maxConnections: 3, maxWatchers: 0}\n", source: "grpc.yaml")
        #expect(limited.grpc?.maxConnections == 3 && limited.grpc?.maxWatchers == 0 && limited.grpc?.listen.host == "::1")
        let off = try ConfigLoader.parse(yaml: "checks:\n  - {name: readiness, kind: simulated}\n", source: "grpc.yaml")
        #expect(off.checks.map(\.name) == ["readiness"])
    }

    @Test("a full configuration reads every key")
    func fullConfiguration() throws {
        let yaml = """
            listen: 0.0.0.0:9000
            root: hello
            admin: {enabled: false}
            drain: {delay: 2s, timeout: 1m}
            notify: {readyWhen: started}
            log: {format: logfmt, level: debug}
            expose: {details: never}
            limits: {maxConnections: 10, idleTimeout: 30s, headerTimeout: 3s, bodyTimeout: 4s, maxHeaderBytes: 4KiB, maxBodyBytes: 1KiB, releaseStartupPages: 0s}
            checks:
              - name: database
                kind: simulated
                detail: Database not available
                probes: [readiness, startup]
                interval: 500ms
                timeout: 1.5s
                failureThreshold: 5
                successThreshold: 2
                critical: false
              - {name: external-service, kind: simulated, startFailing: true, probes: liveness}
            """
        let config = try ConfigLoader.parse(yaml: yaml, source: "full.yaml")
        #expect(config.listen == ListenAddress(host: "0.0.0.0", port: 9000))
        #expect(config.drain == .init(delay: .seconds(2), timeout: .seconds(60)))
        #expect(config.notify.readyWhen == .started)
        #expect(config.log.format == .logfmt)
        #expect(config.log.level == .debug)
        #expect(config.root == .hello)
        #expect(config.expose.details == .never)
        #expect(config.limits == .init(
            maxConnections: 10, idleTimeout: .seconds(30), headerTimeout: .seconds(3), bodyTimeout: .seconds(4), maxHeaderBytes: 4096, maxBodyBytes: 1024,
            releaseStartupPages: .zero))
        #expect(config.checks.count == 2)
        let database = try #require(config.checks.first)
        #expect(database.kind == .simulated(.init(detail: "Database not available")))
        #expect(database.probes == [.readiness, .startup])
        #expect(database.interval == .milliseconds(500))
        #expect(database.timeout == .milliseconds(1500))
        #expect(database.failureThreshold == 5)
        #expect(database.successThreshold == 2)
        #expect(database.critical == false)
        #expect(config.checks[1].probes == [.liveness])
        #expect(config.checks[1].kind == .simulated(.init(startFailing: true)))
    }

    @Test("the built-in demo is the seed app: two simulated readiness checks, admin on loopback")
    func demo() throws {
        let config = try DemoConfiguration.load()
        #expect(config.listen == ListenAddress(host: "127.0.0.1", port: 8000))
        #expect(config.root == .hello, "GET / is the seed's {\"Hello\":\"World\"}")
        #expect(config.admin.enabled)
        #expect(config.admin.token == nil, "loopback-only listener, no token: local peers may drill")
        #expect(config.checks.map(\.name) == ["database", "external-service"])
        #expect(config.checks.allSatisfy { $0.probes == [.readiness] })
        #expect(config.checks[0].kind == .simulated(.init(detail: "Database not available")))
        #expect(config.checks[1].kind == .simulated(.init(detail: "External service not available")))
    }

    static let malformed: [(name: String, yaml: String, code: ConfigError.Code, message: String)] = [
        (
            "bad YAML", "checks: [\n  - name: a\n", .invalidYAML,
            "bad.yaml:2:3: invalid YAML: while parsing a flow node did not find expected node content"
        ),
        (
            "unknown kind", "checks:\n  - {name: cache, kind: carrier-pigeon}\n", .unsupportedKind,
            #"bad.yaml:2:25: checks[0] "cache": kind "carrier-pigeon" is not a supported check kind (supported: simulated, tcp, tls, http, postgres, redis, dns, disk, file, grpc)"#
        ),
        (
            "duplicate name", "checks:\n  - {name: db, kind: simulated}\n  - {name: db, kind: simulated}\n", .duplicateName,
            #"bad.yaml:3:5: checks[1] "db": name is already used by checks[0]; check names must be unique"#
        ),
        (
            "negative interval", "checks:\n  - {name: db, kind: simulated, interval: -5s}\n", .invalidValue,
            #"bad.yaml:2:43: checks[0] "db": interval "-5s" must be a positive duration"#
        ),
        (
            "interval without unit", "checks:\n  - name: cache\n    kind: simulated\n    interval: 10\n", .invalidValue,
            #"bad.yaml:4:15: checks[0] "cache": interval "10" is not a duration (write it with a unit, e.g. 10s)"#
        ),
        (
            "check is not a mapping", "checks:\n  - database\n", .wrongType,
            "bad.yaml:2:5: checks[0]: must be a mapping of keys to values, not a single value"
        ),
        (
            "missing kind", "checks:\n  - {name: db}\n", .missingKey,
            #"bad.yaml:2:5: checks[0] "db": is missing the required key "kind""#
        ),
        (
            "missing name", "checks:\n  - {kind: simulated}\n", .missingKey,
            #"bad.yaml:2:5: checks[0]: is missing the required key "name""#
        ),
        (
            "misspelt key", "checks:\n  - {name: db, kind: simulated, intervall: 2s}\n", .unknownKey,
            #"bad.yaml:2:33: checks[0] "db": unknown key "intervall" (did you mean "interval"?); known keys: name, kind, probes, interval, timeout, failureThreshold, successThreshold, critical, detail, startFailing"#
        ),
        (
            "unknown top-level key", "listn: 1.2.3.4:80\n", .unknownKey,
            #"bad.yaml:1:1: unknown key "listn" (did you mean "listen"?); known keys: listen, root, admin, drain, notify, log, expose, limits, grpc, checks"#
        ),
        (
            "invalid check name", "checks:\n  - {name: Data Base, kind: simulated}\n", .invalidValue,
            #"bad.yaml:2:12: checks[0]: name "Data Base" is not a valid check name (lowercase letters, digits, '_', '.', '-'; starting with a letter or digit)"#
        ),
        (
            "bad listen", "listen: localhost\n", .invalidValue,
            #"bad.yaml:1:9: listen "localhost" is not host:port (e.g. 127.0.0.1:8000, [::1]:8000, 0.0.0.0:8000)"#
        ),
        (
            "port out of range", "listen: 127.0.0.1:70000\n", .invalidValue,
            #"bad.yaml:1:9: listen "127.0.0.1:70000" is not host:port (e.g. 127.0.0.1:8000, [::1]:8000, 0.0.0.0:8000)"#
        ),
        (
            "admin off loopback without token", "listen: 0.0.0.0:8000\nadmin: {enabled: true}\n", .missingKey,
            "bad.yaml:2:8: admin needs tokenFile: admin routes are enabled and listen (0.0.0.0:8000) is reachable off this machine"
        ),
        (
            "unreadable token file", "admin: {enabled: true, tokenFile: /nonexistent/token}\n", .unreadable,
            #"bad.yaml:1:35: admin.tokenFile "/nonexistent/token" cannot be read: No such file or directory"#
        ),
        (
            "threshold zero", "checks:\n  - {name: db, kind: simulated, failureThreshold: 0}\n", .invalidValue,
            #"bad.yaml:2:51: checks[0] "db": failureThreshold 0 must be at least 1"#
        ),
        (
            "not a boolean", "checks:\n  - {name: db, kind: simulated, critical: maybe}\n", .invalidValue,
            #"bad.yaml:2:43: checks[0] "db": critical "maybe" is not true or false"#
        ),
        (
            "unknown probe", "checks:\n  - {name: db, kind: simulated, probes: [readyness]}\n", .invalidValue,
            #"bad.yaml:2:42: checks[0] "db": probes[0] "readyness" is not a probe (use liveness, readiness, startup)"#
        ),
        (
            "checks is a mapping", "checks:\n  db: {kind: simulated}\n", .wrongType,
            "bad.yaml:2:3: checks must be a list, not a mapping"
        ),
        (
            "drain delay above timeout", "drain: {delay: 30s, timeout: 10s}\n", .invalidValue,
            "bad.yaml:1:8: drain delay (30s) must not exceed timeout (10s)"
        ),
        (
            "unknown log format", "log: {format: xml}\n", .invalidValue,
            #"bad.yaml:1:15: log.format "xml" is not one of: auto, journald, json, logfmt"#
        ),
        (
            "network check on liveness", "checks:\n  - {name: db, kind: postgres, url: \"postgres://app@127.0.0.1/app\", probes: [liveness, readiness]}\n", .invalidValue,
            #"bad.yaml:2:77: checks[0] "db": probes a postgres check cannot be on the liveness probe: when the dependency blips, every pod would fail liveness and restart at once (a restart storm); put it on readiness"#
        ),
        (
            "password in a postgres URL", "checks:\n  - {name: db, kind: postgres, url: \"postgres://app:hunter2@db/app\"}\n", .invalidValue,
            #"bad.yaml:2:37: checks[0] "db": url must not carry a password (it would show wherever the URL does); use passwordFile or passwordEnv"#
        ),
        (
            "userinfo in an http URL", "checks:\n  - {name: api, kind: http, url: \"https://bob:s3cret@api.internal/health\"}\n", .invalidValue,
            #"bad.yaml:2:34: checks[0] "api": url must not carry user:password (it would show in logs); send credentials another way"#
        ),
        (
            "bad status range", "checks:\n  - {name: api, kind: http, url: \"http://api/\", expectStatus: 399-200}\n", .invalidValue,
            #"bad.yaml:2:63: checks[0] "api": expectStatus "399-200" is not a status or range (e.g. 200, 200-399)"#
        ),
        (
            "address without port", "checks:\n  - {name: cache, kind: redis, address: localhost}\n", .invalidValue,
            #"bad.yaml:2:41: checks[0] "cache": address "localhost" is not host:port (e.g. 127.0.0.1:6379)"#
        ),
        (
            "unset password variable", "checks:\n  - {name: cache, kind: redis, address: \"127.0.0.1:6379\", passwordEnv: HE_TEST_UNSET_VARIABLE}\n", .missingKey,
            #"bad.yaml:2:72: checks[0] "cache": passwordEnv names the environment variable "HE_TEST_UNSET_VARIABLE", which is not set"#
        ),
        (
            "reserved name", "checks:\n  - {name: scheduler, kind: simulated}\n", .invalidValue,
            #"bad.yaml:2:12: checks[0]: name "scheduler" is reserved for the built-in heartbeat check; choose another name"#
        ),
        (
            "kind option of another kind", "checks:\n  - {name: up, kind: tcp, address: \"127.0.0.1:1\", url: \"http://x\"}\n", .unknownKey,
            #"bad.yaml:2:51: checks[0] "up": unknown key "url"; known keys: name, kind, probes, interval, timeout, failureThreshold, successThreshold, critical, address"#
        ),
        (
            // Found by scripts/fuzz (fuzz/corpus/config/regression-*): Yams's reader error spanned lines.
            "control character", "listen: 127.0.0.1:8000\n\u{1}\n", .invalidYAML,
            "bad.yaml: invalid YAML: control characters are not allowed (character 0x1) at byte 23"
        ),
        (
            "unknown root", "root: index.html\n", .invalidValue,
            #"bad.yaml:1:7: root "index.html" is not one of: statusz, hello"#
        ),
        (
            "authorized detail without a token", "expose: {details: authorized}\n", .missingKey,
            #"bad.yaml:1:19: expose.details "authorized" needs admin.tokenFile: detail is shown only to requests bearing the admin token"#
        ),
        (
            "zero header timeout", "limits: {headerTimeout: 0s}\n", .invalidValue,
            #"bad.yaml:1:25: limits.headerTimeout "0s" must be a positive duration"#
        ),
        (
            "start-up pages released after a negative time", "limits: {releaseStartupPages: -1s}\n", .invalidValue,
            #"bad.yaml:1:31: limits.releaseStartupPages "-1s" must be a non-negative duration"#
        ),
        (
            "grpc without listen", "grpc: {maxWatchers: 10}\n", .missingKey,
            "bad.yaml:1:7: grpc listen is required (e.g. grpc: {listen: 127.0.0.1:8001}); leave grpc out to serve no gRPC"
        ),
        (
            "grpc listen not host:port", "grpc: {listen: 8001}\n", .invalidValue,
            #"bad.yaml:1:16: grpc.listen "8001" is not host:port (e.g. 127.0.0.1:8001, 0.0.0.0:8001)"#
        ),
        (
            "grpc on the HTTP port", "listen: 127.0.0.1:8000\ngrpc: {listen: 127.0.0.1:8000}\n", .invalidValue,
            #"bad.yaml:2:16: grpc.listen "127.0.0.1:8000" is the HTTP listen address too; gRPC needs a port of its own"#
        ),
        (
            "grpc unknown key", "grpc: {listen: 127.0.0.1:8001, tls: true}\n", .unknownKey,
            #"bad.yaml:1:32: grpc: unknown key "tls"; known keys: listen, maxConnections, maxWatchers"#
        ),
        (
            "grpc zero connections", "grpc: {listen: 127.0.0.1:8001, maxConnections: 0}\n", .invalidValue,
            "bad.yaml:1:48: grpc.maxConnections 0 must be at least 1"
        ),
        (
            "a check named like a gRPC probe service", "grpc: {listen: 127.0.0.1:8001}\nchecks:\n  - {name: readiness, kind: simulated}\n", .invalidValue,
            #"bad.yaml:3:3: checks[0] "readiness": name is a gRPC health service of its own (readiness, liveness, startup answer the probes); rename the check or leave grpc out"#
        ),
        (
            "duplicate YAML key", "listen: 127.0.0.1:1\nlisten: 127.0.0.1:2\n", .invalidYAML,
            #"bad.yaml:1:1: invalid YAML: duplicate key "listen" in a mapping"#
        ),
    ]

    @Test("a malformed configuration gives one line naming file, position, key and value", arguments: malformed)
    func malformedConfiguration(_ testCase: (name: String, yaml: String, code: ConfigError.Code, message: String)) {
        #expect(throws: ConfigError.self, "\(testCase.name)") {
            try ConfigLoader.parse(yaml: testCase.yaml, source: "bad.yaml")
        }
        do {
            _ = try ConfigLoader.parse(yaml: testCase.yaml, source: "bad.yaml")
        } catch {
            #expect(error.code == testCase.code, "\(testCase.name)")
            #expect(error.description == testCase.message, "\(testCase.name)")
            #expect(!error.description.contains("\n"), "\(testCase.name): one line")
        }
    }

    @Test("every check kind reads its options")
    func kinds() throws {
        let passwordFile = try TemporaryFile.write("pg-pass\n")
        defer { TemporaryFile.remove(passwordFile) }
        let yaml = """
            checks:
              - {name: db, kind: postgres, url: "postgres://app@127.0.0.1:15432/appdb", passwordFile: \(passwordFile)}
              - {name: cache, kind: redis, address: "127.0.0.1:6379"}
              - {name: api, kind: http, url: "https://api.internal/healthz", expectStatus: 200, bodyContains: ok, tlsVerify: false}
              - {name: upstream, kind: tcp, address: "[::1]:9000"}
              - {name: resolver, kind: dns, host: db.internal}
              - {name: data, kind: disk, path: /var/lib/app, minFree: 1GiB, writable: true, probes: [liveness, readiness]}
              - {name: job, kind: file, path: /var/run/job.done, maxAge: 1h}
            """
        let checks = try ConfigLoader.parse(yaml: yaml, source: "kinds.yaml").checks
        #expect(checks.map(\.kind.name) == ["postgres", "redis", "http", "tcp", "dns", "disk", "file"])
        #expect(checks[0].kind == .postgres(.init(host: "127.0.0.1", port: 15432, user: "app", database: "appdb", password: Secret("pg-pass"))))
        #expect(checks[1].kind == .redis(.init(address: HostPort(host: "127.0.0.1", port: 6379))))
        #expect(checks[2].kind == .http(.init(url: "https://api.internal/healthz", expectStatus: 200...200, bodyContains: "ok", tls: TLSClientSettings(verify: false))))
        #expect(checks[3].kind == .tcp(address: HostPort(host: "::1", port: 9000)))
        #expect(checks[4].kind == .dns(host: "db.internal"))
        #expect(checks[5].kind == .disk(.init(path: "/var/lib/app", minFree: 1 << 30, writable: true)))
        #expect(checks[6].kind == .file(.init(path: "/var/run/job.done", maxAge: .seconds(3600))))
        #expect(!"\(checks)".contains("pg-pass"), "the password never prints")
        let postgres = try #require(checks[0].kind.options(as: CheckKind.PostgresOptions.self))
        #expect(postgres.redactedURL == "postgres://app@127.0.0.1:15432/appdb")
    }

    @Test("an unreadable file names the path and the system's reason")
    func unreadableFile() {
        do {
            _ = try ConfigLoader.load(path: "/nonexistent/health.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unreadable)
            #expect(error.description == "/nonexistent/health.yaml: cannot read the configuration: No such file or directory")
        }
    }

    @Test("a token file is read with its trailing newline trimmed, and never printed")
    func tokenFile() throws {
        let path = try TemporaryFile.write("s3cret-token\n")
        defer { TemporaryFile.remove(path) }
        let config = try ConfigLoader.parse(
            yaml: "listen: 0.0.0.0:8000\nadmin: {enabled: true, tokenFile: \(path)}\n",
            source: "ok.yaml"
        )
        let token = try #require(config.admin.token)
        #expect(token.matches("s3cret-token"))
        #expect(!token.matches("s3cret-token\n"))
        #expect(!token.matches("s3cret"))
        #expect(!"\(config)".contains("s3cret"))
    }

    @Test("an empty token file is refused")
    func emptyTokenFile() throws {
        let path = try TemporaryFile.write("\n")
        defer { TemporaryFile.remove(path) }
        #expect(throws: ConfigError.self) {
            try ConfigLoader.parse(yaml: "admin: {enabled: true, tokenFile: \(path)}\n", source: "ok.yaml")
        }
    }

    @Test("a ConfigError is one line whatever its parts hold: control characters are shown escaped")
    func oneLine() {
        let error = ConfigError(code: .invalidYAML, message: "invalid YAML: bad\nline 2\u{7}", source: "a\nb.yaml", line: 3)
        #expect(error.description == #"a\nb.yaml:3: invalid YAML: bad\nline 2\u{7}"#)
        #expect(!error.description.contains("\n"))
    }
}
