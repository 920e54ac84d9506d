/// The one-line summary systemd shows in `systemctl status` (`STATUS=`):
/// "ready: 3/3 checks passing", "not ready: database down (timeout)".
public enum StatusLine {
    /// The summary of `snapshot`, led by the most urgent fact: not live,
    /// then draining, maintenance, and finally readiness.
    public static func describe(_ snapshot: HealthSnapshot) -> String {
        let liveness = snapshot.verdict(for: .liveness)
        let readiness = snapshot.verdict(for: .readiness)
        let summary: String
        if snapshot.draining {
            summary = "draining: readiness off, finishing in-flight requests"
        } else if snapshot.maintenance {
            summary = "not ready: maintenance"
        } else if readiness.status.isHealthy {
            let passing = readiness.checks.filter { $0.status == .pass }.count
            let degraded = down(readiness.checks.filter { $0.status == .warn })
            summary = "ready: \(passing)/\(readiness.checks.count) checks passing" + (degraded.isEmpty ? "" : "; not critical: \(degraded)")
        } else {
            summary = "not ready: \(down(readiness.checks.filter { $0.status == .fail }))"
        }
        guard liveness.status.isHealthy else {
            return "not live: \(down(liveness.checks.filter { $0.status == .fail })); \(summary)"
        }
        return summary
    }

    private static func down(_ checks: [CheckSnapshot]) -> String {
        checks.map { "\($0.name) down (\($0.reason?.rawValue ?? "failing"))" }.joined(separator: ", ")
    }
}
