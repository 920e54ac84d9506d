import Foundation
import Testing

@testable import HealthExporter

@Suite("The health-exporter command, run as a user runs it", .serialized, .timeLimit(.minutes(1)))
struct CommandLineTests {
    @Test("print-default-config prints the built-in demo, which check-config accepts")
    func printDefaultConfig() throws {
        let printed = try ExecutableUnderTest.run(["print-default-config"])
        #expect(printed.status == 0)
        #expect(printed.stdout == DemoConfiguration.yaml)
        let path = try TemporaryFile.write(printed.stdout, suffix: ".yaml")
        defer { TemporaryFile.remove(path) }
        let checked = try ExecutableUnderTest.run(["check-config", path])
        #expect(checked.status == 0)
        #expect(checked.stdout == "\(path): ok: listen 127.0.0.1:8000, 2 check(s): database, external-service\n")
    }

    @Test("check-config on a malformed file: exit 78 and one error line naming file, line and value", arguments: [
        ("checks:\n  - {name: db, kind: simulated, interval: -1s}\n", #"checks[0] "db": interval "-1s" must be a positive duration"#),
        ("checks:\n  - {name: db, kind: nope}\n", #"checks[0] "db": kind "nope" is not a supported check kind (supported: simulated, tcp, tls, http, postgres, redis, dns, disk, file, grpc)"#),
        ("checks: [\n", "invalid YAML"),
    ])
    func checkConfigRejects(_ yaml: String, _ expected: String) throws {
        let path = try TemporaryFile.write(yaml, suffix: ".yaml")
        defer { TemporaryFile.remove(path) }
        let outcome = try ExecutableUnderTest.run(["check-config", path])
        #expect(outcome.status == 78)
        #expect(outcome.stdout.isEmpty)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("health-exporter: error: invalid configuration: \(path):") == true)
        #expect(outcome.stderr.contains(expected))
    }

    @Test("serve with a malformed --config exits 78 without binding")
    func serveRejectsBadConfig() throws {
        let path = try TemporaryFile.write("listen: nowhere\n", suffix: ".yaml")
        defer { TemporaryFile.remove(path) }
        let outcome = try ExecutableUnderTest.run(["--config", path])
        #expect(outcome.status == 78)
        #expect(outcome.stderr == "health-exporter: error: invalid configuration: \(path):1:9: listen \"nowhere\" is not host:port (e.g. 127.0.0.1:8000, [::1]:8000, 0.0.0.0:8000)\n")
    }

    @Test("a bad flag value is refused with usage, exit 64")
    func badFlag() throws {
        let outcome = try ExecutableUnderTest.run(["--listen", "nowhere"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("--listen \"nowhere\" is not host:port"))
    }

    @Test("--help explains the options")
    func help() throws {
        let outcome = try ExecutableUnderTest.run(["serve", "--help"])
        #expect(outcome.status == 0)
        for fragment in ["--config <file>", "built-in demo", "--listen <host:port>", "--log-format <format>", "--log-level <level>"] {
            #expect(outcome.stdout.contains(fragment), "\(fragment)")
        }
    }

    @Test("with no --config the demo runs, says so once, serves the seed, and SIGTERM exits 0")
    func demoLifecycle() async throws {
        let service = try ExecutableUnderTest.Service(["--listen", "127.0.0.1:0"])
        let demoLine = try #require(service.waitForLine(containing: "built-in demo"))
        #expect(demoLine.contains(#""level":"info""#))
        let listening = try #require(service.waitForLine(containing: "\"msg\":\"listening\""))
        let port = try #require(ExecutableUnderTest.port(fromListeningLine: listening))

        let client = try await RawHTTPClient.connect(port: port)
        #expect(try await client.request("GET", "/health").body == #"{"status":"up"}"#)
        #expect(try await client.request("POST", "/simulate_db_failure").status == 200)
        #expect(try await client.request("GET", "/ready").body == #"{"detail":"Database not available"}"#)
        await client.close()

        #expect(service.waitForLine(containing: "\"msg\":\"not ready\"") != nil)
        #expect(service.stop() == 0)
        #expect(service.logLines.filter { $0.contains("built-in demo") }.count == 1)
        #expect(service.logLines.contains { $0.contains("\"msg\":\"stopped\"") })
        #expect(!service.logLines.contains { $0.contains("\"msg\":\"request\"") }, "probe requests are not logged at info")
    }

    @Test("the demo binary answers the seed's whole transcript word for word (Fixtures/seed-app.json), over one connection")
    func demoIsTheSeed() async throws {
        let service = try ExecutableUnderTest.Service(["--listen", "127.0.0.1:0"])
        let listening = try #require(service.waitForLine(containing: "\"msg\":\"listening\""))
        let port = try #require(ExecutableUnderTest.port(fromListeningLine: listening))
        let client = try await RawHTTPClient.connect(port: port)
        for step in try SeedTranscript.load().steps {
            let response = try await client.request(step.method, step.path)
            SeedTranscript.expect(step, status: response.status, contentType: response.header("Content-Type"), body: response.body)
        }
        // Outside the transcript: the status page moved to /statusz.
        let page = try await client.request("GET", "/statusz")
        #expect(page.status == 200)
        #expect(page.body.contains("<h1>health-exporter</h1>"))
        await client.close()
        #expect(service.stop() == 0)
    }

    @Test("SIGINT stops cleanly too, and logfmt is honoured")
    func sigint() throws {
        let service = try ExecutableUnderTest.Service(["--listen", "127.0.0.1:0", "--log-format", "logfmt"])
        let line = try #require(service.waitForLine(containing: "msg=listening"))
        #expect(line.hasPrefix("ts="))
        #expect(service.stop(signal: SIGINT) == 0)
    }

    @Test("k8s-probes prints the derived stanzas; --check on unsafe timings warns and exits 1")
    func kubernetesProbes() throws {
        let derived = try ExecutableUnderTest.run(["k8s-probes"])
        #expect(derived.status == 0)
        #expect(derived.stderr.isEmpty)
        #expect(derived.stdout.contains("readinessProbe:\n  httpGet: {path: /readyz, port: 8000}\n  periodSeconds: 10\n  timeoutSeconds: 2"))

        let manifest = try TemporaryFile.write(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: app}
            spec:
              template:
                spec:
                  containers:
                    - name: health-exporter
                      livenessProbe: {httpGet: {path: /livez, port: 8000}, periodSeconds: 1, failureThreshold: 1}
                      readinessProbe: {httpGet: {path: /readyz, port: 8000}}
            """, suffix: ".yaml")
        defer { TemporaryFile.remove(manifest) }
        let checked = try ExecutableUnderTest.run(["k8s-probes", "--check", manifest])
        #expect(checked.status == 1)
        #expect(checked.stderr.contains("health-exporter: warning: \(manifest): livenessProbe restarts after 1s of failures"))
        #expect(checked.stderr.contains("readinessProbe.timeoutSeconds 1 is below check \"database\" timeout 2s"))
        #expect(checked.stdout.hasPrefix("# safe timings for this configuration:"))
    }
}
