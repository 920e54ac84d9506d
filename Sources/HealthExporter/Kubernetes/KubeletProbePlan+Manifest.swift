import Telemetry
import Yams

/// Reading the probe timings of an existing manifest, to check them.
extension KubeletProbePlan {
    /// Why a manifest's probes could not be read.
    public struct ManifestError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The probes of the `health-exporter` container (or the first container
    /// probing `/livez`, `/readyz` or `/startupz`) in a multi-document YAML manifest.
    /// - Throws: ``ManifestError`` when no such container or probe exists.
    public init(manifest text: String, source: String) throws(ManifestError) {
        let documents: [Node]
        do {
            documents = Array(try Yams.compose_all(yaml: text)).compactMap { $0 }
        } catch {
            throw ManifestError(description: "\(source): invalid YAML: \(error)")
        }
        let containers = documents.flatMap { document -> [Node] in
            let podSpec = document["spec"]?["template"]?["spec"] ?? document["spec"]
            return podSpec?["containers"]?.sequence.map(Array.init) ?? []
        }
        let probing = containers.filter { container in
            ["livenessProbe", "readinessProbe", "startupProbe"].contains { key in
                container[Node(key)]?["httpGet"]?["path"]?.string?.hasSuffix("z") == true
                    || HealthExporterConfig.GRPC.probeServiceNames.contains(container[Node(key)]?["grpc"]?["service"]?.string ?? "")
            }
        }
        guard let container = containers.first(where: { $0["name"]?.string == "health-exporter" }) ?? probing.first else {
            throw ManifestError(description: "\(source): no container named health-exporter, and none probing /livez, /readyz or /startupz (or their gRPC services)")
        }
        func probe(_ key: String) -> KubeletProbe? {
            guard let node = container[Node(key)] else { return nil }
            // Kubernetes defaults: period 10, timeout 1, success 1, failure 3.
            let grpc = node["grpc"]
            return KubeletProbe(
                path: node["httpGet"]?["path"]?.string ?? "",
                port: (grpc ?? node["httpGet"])?["port"]?.int ?? 0,
                // The kubelet sends "" when service is left out: the overall (readiness) status.
                grpcService: grpc.map { $0["service"]?.string ?? "" },
                periodSeconds: node["periodSeconds"]?.int ?? 10,
                timeoutSeconds: node["timeoutSeconds"]?.int ?? 1,
                successThreshold: node["successThreshold"]?.int ?? 1,
                failureThreshold: node["failureThreshold"]?.int ?? 3
            )
        }
        guard let liveness = probe("livenessProbe"), let readiness = probe("readinessProbe") else {
            throw ManifestError(description: "\(source): the \(container["name"]?.string ?? "probing") container lacks a livenessProbe or readinessProbe")
        }
        let grace = documents.compactMap { $0["spec"]?["template"]?["spec"]?["terminationGracePeriodSeconds"]?.int }.first ?? 30
        self.init(startup: probe("startupProbe"), liveness: liveness, readiness: readiness, terminationGracePeriodSeconds: grace)
    }
}
