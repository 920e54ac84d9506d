import Telemetry

/// The kubelet probes for a configuration, and the rules that say when
/// probe timings are unsafe for it.
///
/// Derivation (each rule keeps the matching warning from firing on our own output):
/// - `timeoutSeconds`: answers come from memory in microseconds, but a probe
///   timeout below a check timeout is the classic synchronous-probe bug, so
///   it is at least the longest check timeout on that probe (minimum 1).
/// - readiness `periodSeconds`: the shortest readiness check interval,
///   clamped to 1…10 s; `failureThreshold` 1, since the checks' own
///   thresholds already damp flapping.
/// - liveness: every 10 s, 3 failures, and never a window shorter than the
///   liveness checks' own damping (interval × failureThreshold).
/// - startup: every 2 s, for as long as the slowest startup check may need
///   (at least 60 s), so liveness never restarts a pod that is still starting.
/// - `terminationGracePeriodSeconds`: `drain.timeout` plus 5 s.
public struct KubeletProbePlan: Sendable, Equatable {
    public var startup: KubeletProbe?
    public var liveness: KubeletProbe
    public var readiness: KubeletProbe
    public var terminationGracePeriodSeconds: Int

    public init(startup: KubeletProbe?, liveness: KubeletProbe, readiness: KubeletProbe, terminationGracePeriodSeconds: Int) {
        self.startup = startup
        self.liveness = liveness
        self.readiness = readiness
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }

    /// The transport the kubelet probes with.
    public enum Transport: String, Sendable, CaseIterable {
        /// `httpGet` on `listen` (`/livez`, `/readyz`, `/startupz`).
        case http
        /// `grpc` on `grpc.listen`, services `liveness`, `readiness`, `startup`
        /// (kubelet gRPC probes, GA since Kubernetes 1.27).
        case grpc
    }

    /// The safe plan for `config`, probing over `transport` (gRPC needs
    /// `grpc.listen`; without it the HTTP plan is returned).
    public init(deriving config: HealthExporterConfig, transport: Transport = .http) {
        let grpcPort = transport == .grpc ? config.grpc?.listen.port : nil
        let port = grpcPort ?? config.listen.port
        func service(_ probe: Probe) -> String? {
            grpcPort == nil ? nil : probe.rawValue
        }
        func timeout(for probe: Probe) -> Int {
            max(1, config.checks.filter { $0.probes.contains(probe) }.map { Self.ceilSeconds($0.timeout) }.max() ?? 1)
        }
        let readinessIntervals = config.checks.filter { $0.probes.contains(.readiness) }.map { Self.ceilSeconds($0.interval) }
        let readinessPeriod = min(10, max(1, readinessIntervals.min() ?? 10))
        let livenessPeriod = 10
        let livenessFailures = max(3, Self.ceilDivide(Self.livenessDamping(config), livenessPeriod))
        let startupPeriod = 2
        let startupFailures = Self.ceilDivide(max(60, Self.startupBudget(config)), startupPeriod)
        self.init(
            startup: KubeletProbe(path: Route.probe(.startup, check: nil).path, port: port, grpcService: service(.startup), periodSeconds: startupPeriod, timeoutSeconds: timeout(for: .startup), failureThreshold: startupFailures),
            liveness: KubeletProbe(path: Route.probe(.liveness, check: nil).path, port: port, grpcService: service(.liveness), periodSeconds: livenessPeriod, timeoutSeconds: timeout(for: .liveness), failureThreshold: livenessFailures),
            readiness: KubeletProbe(path: Route.probe(.readiness, check: nil).path, port: port, grpcService: service(.readiness), periodSeconds: readinessPeriod, timeoutSeconds: timeout(for: .readiness), failureThreshold: 1),
            terminationGracePeriodSeconds: Self.ceilSeconds(config.drain.timeout) + 5
        )
    }

    /// Why these timings are unsafe for `config`; empty when they are fine.
    public func warnings(for config: HealthExporterConfig) -> [String] {
        var warnings: [String] = []
        let stanzas: [(String, KubeletProbe?, Probe)] = [
            ("startupProbe", startup, .startup), ("livenessProbe", liveness, .liveness), ("readinessProbe", readiness, .readiness),
        ]
        for (name, stanza, probe) in stanzas {
            guard let stanza else { continue }
            if let service = stanza.grpcService {
                warnings += Self.grpcWarnings(name: name, service: service, port: stanza.port, probe: probe, config: config)
            }
            let checks = config.checks.filter { $0.probes.contains(probe) }
            if let slowest = checks.max(by: { $0.timeout < $1.timeout }), stanza.timeoutSeconds < Self.ceilSeconds(slowest.timeout) {
                warnings.append(
                    "\(name).timeoutSeconds \(stanza.timeoutSeconds) is below check \"\(slowest.name)\" timeout \(ConfigValueParsers.format(slowest.timeout)): a probe that waited on it would time out first"
                )
            }
            // The startup probe stops at its first success: polling it faster only shortens the time to ready.
            if probe != .startup, let fastest = checks.min(by: { $0.interval < $1.interval }),
                stanza.periodSeconds * 4 < Self.ceilSeconds(fastest.interval)
            {
                warnings.append(
                    "\(name).periodSeconds \(stanza.periodSeconds) is much shorter than the shortest check interval on it (\"\(fastest.name)\", \(ConfigValueParsers.format(fastest.interval))): most probes see no new result"
                )
            }
        }
        let damping = Self.livenessDamping(config)
        if liveness.failureWindowSeconds < max(10, damping) {
            warnings.append(
                "livenessProbe restarts after \(liveness.failureWindowSeconds)s of failures (periodSeconds × failureThreshold), shorter than \(max(10, damping))s: a blip restarts the pod before the checks' own thresholds decide"
            )
        }
        let budget = Self.startupBudget(config)
        if startup == nil, budget > liveness.failureWindowSeconds {
            warnings.append(
                "no startupProbe, but startup checks may need \(budget)s, longer than the liveness window (\(liveness.failureWindowSeconds)s): the pod can be restarted while still starting"
            )
        }
        if let startup, startup.failureWindowSeconds < budget {
            warnings.append("startupProbe gives up after \(startup.failureWindowSeconds)s, but startup checks may need \(budget)s")
        }
        if terminationGracePeriodSeconds <= Self.ceilSeconds(config.drain.timeout) {
            warnings.append(
                "terminationGracePeriodSeconds \(terminationGracePeriodSeconds) does not exceed drain.timeout \(ConfigValueParsers.format(config.drain.timeout)): the kubelet kills the pod mid-drain"
            )
        }
        return warnings
    }

    /// A `grpc:` stanza that cannot work: gRPC off, another port, or another probe's service.
    private static func grpcWarnings(name: String, service: String, port: Int, probe: Probe, config: HealthExporterConfig) -> [String] {
        guard let grpc = config.grpc else {
            return ["\(name) uses grpc, but the configuration has no grpc.listen: the kubelet would find nothing listening"]
        }
        var warnings: [String] = []
        if grpc.listen.port != 0, port != grpc.listen.port {
            warnings.append("\(name).grpc.port \(port) is not grpc.listen's port \(grpc.listen.port)")
        }
        // "" is the overall status, which is readiness: right for readiness only.
        let expected = probe.rawValue
        if service != expected, !(probe == .readiness && service.isEmpty) {
            warnings.append("\(name).grpc.service \(JSONText.quoted(service)) answers another probe than \(probe.rawValue); use \(JSONText.quoted(expected))")
        }
        return warnings
    }

    /// The container-level stanzas, ready to paste under a container.
    public var yaml: String {
        var text = "# kubelet probes derived by health-exporter k8s-probes; pod spec: terminationGracePeriodSeconds: \(terminationGracePeriodSeconds)\n"
        if let startup { text += startup.yaml(named: "startupProbe", indent: 0) }
        text += liveness.yaml(named: "livenessProbe", indent: 0)
        text += readiness.yaml(named: "readinessProbe", indent: 0)
        return text
    }

    /// Longest time liveness checks take to decide a failure: interval × failureThreshold.
    static func livenessDamping(_ config: HealthExporterConfig) -> Int {
        config.checks.filter { $0.probes.contains(.liveness) }.map { ceilSeconds($0.interval) * $0.failureThreshold }.max() ?? 0
    }

    /// Longest time a startup check may need to pass once, allowing its failure threshold of retries.
    static func startupBudget(_ config: HealthExporterConfig) -> Int {
        config.checks.filter { $0.probes.contains(.startup) }.map { ceilSeconds($0.interval) * $0.failureThreshold + ceilSeconds($0.timeout) }.max() ?? 0
    }

    static func ceilSeconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) + (attoseconds > 0 ? 1 : 0)
    }

    private static func ceilDivide(_ value: Int, _ divisor: Int) -> Int {
        (value + divisor - 1) / divisor
    }
}
