import NIOConcurrencyHelpers
import Telemetry

/// The metric families of the design's contract, with handles kept for the
/// hot paths: a probe request updates two pre-created series by index, with
/// no lookups, locks or allocation.
public final class HealthMetrics: Sendable {
    /// The registry these families live in (also rendered at `/metrics`).
    public let registry: MetricsRegistry

    /// Bucket bounds for check runs: 1 ms to 10 s, dependency round trips.
    public static let checkDurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Bucket bounds for probe answers: 10 µs to 100 ms, since answers come from memory.
    public static let probeDurationBuckets = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.1]

    /// How a check run ended, the `result` label of `health_check_runs_total`.
    public enum RunResult: String, Sendable, CaseIterable {
        case success, failure, timeout
    }

    struct CheckSeries: Sendable {
        let up: Gauge
        let runs: [Counter]  // indexed like RunResult.allCases
        let duration: Histogram
        let lastSuccess: Gauge
        let transitionsUp: Counter
        let transitionsDown: Counter
    }

    struct ProbeSeries: Sendable {
        let ok: Counter
        let unavailable: Counter
        let duration: Histogram
        let up: Gauge
    }

    /// The per-check families, to create and remove series as checks come and go.
    private struct CheckFamilies: Sendable {
        let up: MetricFamily<Gauge>
        let runs: MetricFamily<Counter>
        let failures: MetricFamily<Counter>
        let duration: MetricFamily<Histogram>
        let lastSuccess: MetricFamily<Gauge>
        let transitions: MetricFamily<Counter>
        /// Only checks that complete TLS handshakes have a series here.
        let certificateExpiry: MetricFamily<Gauge>

        func makeSeries(_ name: String) throws(RegistryError) -> CheckSeries {
            var runCounters: [Counter] = []
            for result in RunResult.allCases {
                runCounters.append(try runs.labels(name, result.rawValue))
            }
            return CheckSeries(
                up: try up.labels(name),
                runs: runCounters,
                duration: try duration.labels(name),
                lastSuccess: try lastSuccess.labels(name),
                transitionsUp: try transitions.labels(name, "up"),
                transitionsDown: try transitions.labels(name, "down")
            )
        }

        func removeSeries(of names: Set<String>) {
            // The check name is the first label of every per-check family.
            let matches: ([String]) -> Bool = { names.contains($0[0]) }
            up.removeSeries(where: matches)
            runs.removeSeries(where: matches)
            failures.removeSeries(where: matches)
            duration.removeSeries(where: matches)
            lastSuccess.removeSeries(where: matches)
            transitions.removeSeries(where: matches)
            certificateExpiry.removeSeries(where: matches)
        }
    }

    // Guards the check series; changed only by a reload, read once per check run.
    private let checks: NIOLockedValueBox<[String: CheckSeries]>
    private let checkFamilies: CheckFamilies
    private let probes: [ProbeSeries]  // indexed like Probe.allCases
    private let failures: MetricFamily<Counter>
    private let probeRequests: MetricFamily<Counter>
    private let reloadSuccessful: Gauge
    private let reloadTimestamp: Gauge

    /// Registers every family in `registry` and pre-creates the series of each
    /// check and probe; series of checks that appear later (the built-in
    /// heartbeat, a reload's additions) are made when a snapshot first shows them.
    /// - Throws: ``RegistryError`` when a name is already registered differently.
    public init(
        registry: MetricsRegistry,
        checks configs: [CheckConfig],
        version: String = HealthExporterVersion.current
    ) throws(RegistryError) {
        self.registry = registry
        let up = try registry.gauge("health_check_up", help: "Whether the check is up (1) or down (0), after thresholds.", labels: ["check"])
        let runs = try registry.counter("health_check_runs_total", help: "Check runs by result.", labels: ["check", "result"])
        failures = try registry.counter("health_check_failures_total", help: "Failed check runs by reason.", labels: ["check", "reason"])
        let duration = try registry.histogram(
            "health_check_duration_seconds", help: "Duration of check runs in seconds.", labels: ["check"], buckets: Self.checkDurationBuckets)
        let lastSuccess = try registry.gauge(
            "health_check_last_success_timestamp_seconds", help: "Unix time of the check's last success.", labels: ["check"])
        let transitions = try registry.counter("health_check_transitions_total", help: "Check state changes, by new state.", labels: ["check", "to"])
        let certificateExpiry = try registry.gauge(
            "health_check_tls_cert_expiry_timestamp_seconds", help: "Unix time of the notAfter of the TLS leaf certificate the check was last shown.",
            labels: ["check"])
        probeRequests = try registry.counter("health_probe_requests_total", help: "Probe requests answered, by probe and HTTP status code.", labels: ["probe", "code"])
        let probeDuration = try registry.histogram(
            "health_probe_duration_seconds", help: "Time to answer a probe request in seconds.", labels: ["probe"], buckets: Self.probeDurationBuckets)
        let probeUp = try registry.gauge("health_probe_up", help: "Whether the probe currently passes (1) or fails (0).", labels: ["probe"])
        try registry.gauge("health_exporter_build_info", help: "Build information; always 1.", labels: ["version"]).labels(version).set(1)
        reloadSuccessful = try registry.gauge(
            "health_exporter_config_last_reload_successful", help: "Whether the last configuration load succeeded.").labels()
        reloadTimestamp = try registry.gauge(
            "health_exporter_config_last_reload_success_timestamp_seconds", help: "Unix time of the last successful configuration load.").labels()

        let families = CheckFamilies(
            up: up, runs: runs, failures: failures, duration: duration, lastSuccess: lastSuccess, transitions: transitions,
            certificateExpiry: certificateExpiry)
        var checks: [String: CheckSeries] = [:]
        for name in configs.map(\.name) {
            checks[name] = try families.makeSeries(name)
        }
        self.checks = NIOLockedValueBox(checks)
        self.checkFamilies = families
        var probes: [ProbeSeries] = []
        for probe in Probe.allCases {
            probes.append(
                ProbeSeries(
                    ok: try probeRequests.labels(probe.endpoint, "200"),
                    unavailable: try probeRequests.labels(probe.endpoint, "503"),
                    duration: try probeDuration.labels(probe.endpoint),
                    up: try probeUp.labels(probe.endpoint)
                )
            )
        }
        self.probes = probes
    }

    /// Counts one answered probe request and its latency. Hot path.
    public func recordProbeRequest(_ probe: Probe, code: UInt, duration: Duration) {
        let series = probes[probe.index]
        switch code {
        case 200: series.ok.increment()
        case 503: series.unavailable.increment()
        default: (try? probeRequests.labels(probe.endpoint, String(code)))?.increment()
        }
        series.duration.observe(duration)
    }

    /// Counts one check run (the scheduler's report).
    public func recordRun(check: String, result: RunResult, reason: FailureReason?, duration: Duration) {
        guard let series = checks.withLockedValue({ $0[check] }) else { return }
        series.runs[RunResult.allCases.firstIndex(of: result)!].increment()
        series.duration.observe(duration)
        if let reason, result != .success {
            (try? failures.labels(check, reason.rawValue))?.increment()
        }
    }

    /// Mirrors a published snapshot: check and probe up gauges, last successes.
    /// With `previous` (the snapshot before), only checks that differ are
    /// touched: a result changes one check, and there may be hundreds.
    /// - Parameter probesMayHaveChanged: false when the update is known to
    ///   leave every probe's verdict as it was (no `probeChanged` event), so
    ///   the verdicts are not judged again for nothing.
    /// - Parameter onlyCheck: The one check that may differ from `previous` (a run's result).
    func apply(
        _ snapshot: HealthSnapshot, previous: HealthSnapshot? = nil, checksMayBeNew: Bool = true, probesMayHaveChanged: Bool = true,
        onlyCheck: String? = nil
    ) {
        let checks = self.checks.withLockedValue { checks in
            // Only a first snapshot or a reload brings checks without series: skip the scan otherwise.
            if checksMayBeNew {
                for check in snapshot.checks where checks[check.name] == nil {
                    // Names are validated and the families are ours: creating a series cannot fail.
                    checks[check.name] = try? checkFamilies.makeSeries(check.name)
                }
            }
            return checks
        }
        let aligned = previous.map { $0.checks.count == snapshot.checks.count } ?? false
        // A run changes its own check only: no need to compare the others.
        let candidates = onlyCheck.flatMap { name in snapshot.index(of: name).map { [$0] } } ?? Array(snapshot.checks.indices)
        for index in candidates {
            let check = snapshot.checks[index]
            if aligned, let old = previous?.checks[index], old.name == check.name, old.isUp == check.isUp, old.lastSuccess == check.lastSuccess,
                old.certificateNotAfter == check.certificateNotAfter
            {
                continue
            }
            guard let series = checks[check.name] else { continue }
            series.up.set(check.isUp)
            if let lastSuccess = check.lastSuccess {
                series.lastSuccess.set(lastSuccess.secondsSinceEpoch)
            }
            if let notAfter = check.certificateNotAfter {
                (try? checkFamilies.certificateExpiry.labels(check.name))?.set(notAfter.secondsSinceEpoch)
            }
        }
        guard probesMayHaveChanged else { return }
        for probe in Probe.allCases {
            probes[probe.index].up.set(snapshot.verdict(for: probe).status.isHealthy)
        }
    }

    /// Counts transitions.
    func apply(_ events: [HealthEvent]) {
        let checks = self.checks.withLockedValue { $0 }
        for event in events {
            switch event {
            case .checkUp(let check): checks[check.name]?.transitionsUp.increment()
            case .checkDown(let check): checks[check.name]?.transitionsDown.increment()
            case .checkStale(let check): (try? failures.labels(check.name, FailureReason.stale.rawValue))?.increment()
            case .checkWarning: break
            case .probeChanged, .maintenanceChanged: break
            }
        }
    }

    /// Follows a reload: series of removed checks leave the exposition; kept
    /// and changed checks keep their counts (new ones start at zero when a
    /// snapshot first shows them).
    func apply(_ plan: ReloadPlan) {
        let removed = Set(plan.removed)
        guard !removed.isEmpty else { return }
        checks.withLockedValue { checks in
            checkFamilies.removeSeries(of: removed)
            for name in removed { checks[name] = nil }
        }
    }

    /// Records the outcome of loading the configuration (at start, and on reload).
    public func recordConfigLoad(successful: Bool, at time: WallClockTimestamp = .now()) {
        reloadSuccessful.set(successful)
        if successful { reloadTimestamp.set(time.secondsSinceEpoch) }
    }
}

extension HealthMetrics: HealthObserver {
    /// Mirrors one update: a reload's removals, the snapshot's gauges, its
    /// transitions, and the run it records.
    public func observe(_ update: HealthUpdate) {
        if let plan = update.reload { apply(plan) }
        let fresh = update.previous == nil || update.reload != nil
        let probeChanged = update.events.contains { if case .probeChanged = $0 { true } else { false } }
        apply(
            update.snapshot, previous: update.previous, checksMayBeNew: fresh, probesMayHaveChanged: fresh || probeChanged,
            onlyCheck: fresh ? nil : update.run?.check)
        apply(update.events)
        if let run = update.run {
            recordRun(check: run.check, result: run.result, reason: run.reason, duration: run.duration)
        }
    }
}

extension Probe {
    /// Position in `allCases`, for arrays of per-probe handles.
    var index: Int {
        switch self {
        case .liveness: return 0
        case .readiness: return 1
        case .startup: return 2
        }
    }
}
