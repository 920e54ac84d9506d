import ArgumentParser
import HealthExporter
import Telemetry

struct KubernetesProbesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k8s-probes",
        abstract: "Print kubelet probe stanzas derived from a configuration, or check a manifest's.",
        discussion: """
            Prints startupProbe, livenessProbe and readinessProbe for the health-exporter \
            container, with timings that follow from the checks (see the KubeletProbePlan \
            documentation for the rules). With --check, reads the manifest's probes instead, \
            prints one warning line per unsafe timing on stderr, and exits 1 if there is any: \
            a probe timeout below a check timeout, a liveness window shorter than the checks' \
            own damping, probing far more often than checks run, no startup probe although \
            startup checks are slow, or a grace period that cuts the drain short.
            """
    )

    @Option(name: .long, help: ArgumentHelp("YAML configuration file. Without it the built-in demo is used.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("How the kubelet probes: http (httpGet on listen) or grpc (grpc: stanzas on grpc.listen, Kubernetes 1.27+; needs grpc.listen in the configuration).", valueName: "transport"))
    var transport: KubeletProbePlan.Transport = .http

    @Option(name: .long, help: ArgumentHelp("A Kubernetes manifest (multi-document YAML, e.g. kubectl kustomize output) whose probes to check.", valueName: "manifest"))
    var check: String?

    func run() throws {
        let settings = try HealthExporterConfig.fromCommandLine(path: config)
        if transport == .grpc, settings.grpc == nil {
            ConfigFailure.printError("--transport grpc needs grpc.listen in the configuration (e.g. grpc: {listen: 0.0.0.0:8001})")
            throw ExitCode.failure
        }
        let derived = KubeletProbePlan(deriving: settings, transport: transport)
        guard let check else {
            print(derived.yaml, terminator: "")
            for warning in derived.warnings(for: settings) { ConfigFailure.printWarning(warning) }
            return
        }
        let plan: KubeletProbePlan
        do {
            let text = try TextFile.read(path: check)
            plan = try KubeletProbePlan(manifest: text, source: check)
        } catch {
            ConfigFailure.printError("\(error)")
            throw ExitCode.failure
        }
        let warnings = plan.warnings(for: settings)
        for warning in warnings { ConfigFailure.printWarning("\(check): \(warning)") }
        guard warnings.isEmpty else {
            // Suggest on the transport the manifest uses, when the configuration serves it.
            let suggested = plan.liveness.grpcService != nil && settings.grpc != nil ? KubeletProbePlan(deriving: settings, transport: .grpc) : derived
            print("# safe timings for this configuration:")
            print(suggested.yaml, terminator: "")
            throw ExitCode.failure
        }
        print("\(check): probe timings are safe for this configuration")
    }
}
