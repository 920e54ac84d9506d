import Testing

@testable import HealthExporter

@Suite("Kubelet probe timings derived from the configuration, and the unsafe-timing rules")
struct KubeletProbePlanTests {
    private static func config(_ yaml: String) throws -> HealthExporterConfig {
        try ConfigLoader.parse(yaml: yaml, source: "test.yaml")
    }

    static let configs: [String] = [
        "",
        DemoConfiguration.yaml,
        """
        drain: {delay: 5s, timeout: 50s}
        checks:
          - {name: warmup, kind: simulated, probes: [startup], interval: 30s, failureThreshold: 5, timeout: 9s}
          - {name: disk, kind: simulated, probes: [liveness, readiness], interval: 20s, failureThreshold: 4, timeout: 3500ms}
          - {name: db, kind: simulated, probes: [readiness], interval: 500ms}
        """,
    ]

    @Test("the derived plan never trips its own rules", arguments: configs)
    func derivedIsSafe(_ yaml: String) throws {
        let settings = try Self.config(yaml)
        #expect(KubeletProbePlan(deriving: settings).warnings(for: settings) == [])
    }

    @Test("the demo's plan, exactly")
    func demoPlan() throws {
        let plan = KubeletProbePlan(deriving: try DemoConfiguration.load())
        #expect(plan.startup == KubeletProbe(path: "/startupz", port: 8000, periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 30))
        #expect(plan.liveness == KubeletProbe(path: "/livez", port: 8000, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3))
        #expect(plan.readiness == KubeletProbe(path: "/readyz", port: 8000, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 1))
        #expect(plan.terminationGracePeriodSeconds == 30)
    }

    @Test("slow checks stretch the timings that depend on them")
    func derivation() throws {
        let plan = KubeletProbePlan(deriving: try Self.config(Self.configs[2]))
        #expect(plan.readiness.periodSeconds == 1, "the 500ms readiness check")
        #expect(plan.readiness.timeoutSeconds == 4, "disk's 3.5s timeout, rounded up")
        #expect(plan.liveness.failureWindowSeconds >= 80, "disk decides after 20s × 4")
        #expect(plan.startup!.failureWindowSeconds >= 30 * 5 + 9, "warmup may need 159s")
        #expect(plan.terminationGracePeriodSeconds == 55)
    }

    @Test("an unsafe manifest gets one warning per problem, each naming the value")
    func unsafeManifest() throws {
        let settings = try Self.config("""
            checks:
              - {name: warmup, kind: simulated, probes: [startup], interval: 10s, failureThreshold: 3}
              - {name: database, kind: simulated, interval: 10s}
            """)
        let manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: app}
            spec:
              template:
                spec:
                  terminationGracePeriodSeconds: 20
                  containers:
                    - name: health-exporter
                      livenessProbe: {httpGet: {path: /livez, port: 8000}, periodSeconds: 2, failureThreshold: 2}
                      readinessProbe: {httpGet: {path: /readyz, port: 8000}, periodSeconds: 1, timeoutSeconds: 1}
            """
        let plan = try KubeletProbePlan(manifest: manifest, source: "app.yaml")
        #expect(plan.readiness.failureThreshold == 3, "Kubernetes defaults fill what the manifest leaves out")
        #expect(plan.warnings(for: settings) == [
            #"readinessProbe.timeoutSeconds 1 is below check "database" timeout 2s: a probe that waited on it would time out first"#,
            #"readinessProbe.periodSeconds 1 is much shorter than the shortest check interval on it ("database", 10s): most probes see no new result"#,
            "livenessProbe restarts after 4s of failures (periodSeconds × failureThreshold), shorter than 10s: a blip restarts the pod before the checks' own thresholds decide",
            "no startupProbe, but startup checks may need 32s, longer than the liveness window (4s): the pod can be restarted while still starting",
            "terminationGracePeriodSeconds 20 does not exceed drain.timeout 25s: the kubelet kills the pod mid-drain",
        ])
    }

    @Test("a manifest without the exporter's probes is refused with a reason")
    func noProbes() {
        #expect(throws: KubeletProbePlan.ManifestError.self) {
            try KubeletProbePlan(manifest: "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n", source: "svc.yaml")
        }
        #expect(throws: KubeletProbePlan.ManifestError.self) {
            try KubeletProbePlan(manifest: "a: [", source: "bad.yaml")
        }
    }

    @Test("--transport grpc: grpc stanzas on grpc.listen's port, read back from a manifest and checked like httpGet ones")
    func grpcTransport() throws {
        let settings = try Self.config("grpc: {listen: 0.0.0.0:8001}\n" + DemoConfiguration.yaml)
        let plan = KubeletProbePlan(deriving: settings, transport: .grpc)
        #expect(plan.liveness == KubeletProbe(path: "/livez", port: 8001, grpcService: "liveness", periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3))
        #expect(plan.readiness.grpcService == "readiness" && plan.startup?.grpcService == "startup")
        #expect(plan.yaml.contains("livenessProbe:\n  grpc: {port: 8001, service: liveness}\n"))
        #expect(plan.warnings(for: settings) == [])
        #expect(KubeletProbePlan(deriving: try DemoConfiguration.load(), transport: .grpc).liveness.grpcService == nil, "no grpc.listen: the HTTP plan")

        let manifest = """
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                    - name: sidecar
                      livenessProbe: {grpc: {port: 9000, service: readiness}}
                      readinessProbe: {grpc: {port: 8001}}
            """
        let read = try KubeletProbePlan(manifest: manifest, source: "grpc.yaml")
        #expect(read.liveness.grpcService == "readiness" && read.liveness.port == 9000)
        #expect(read.readiness.grpcService == "", "no service: the kubelet asks for the overall status")
        let warnings = read.warnings(for: settings)
        #expect(warnings.contains("livenessProbe.grpc.port 9000 is not grpc.listen's port 8001"))
        #expect(warnings.contains(#"livenessProbe.grpc.service "readiness" answers another probe than liveness; use "liveness""#))
        #expect(!warnings.contains { $0.hasPrefix("readinessProbe.grpc") }, "\"\" is readiness: \(warnings)")
        #expect(read.warnings(for: try DemoConfiguration.load()).contains(
            "livenessProbe uses grpc, but the configuration has no grpc.listen: the kubelet would find nothing listening"))
    }
}
