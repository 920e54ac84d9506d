import Logging
import Telemetry

/// Writes the log's record of health: one entry per transition (check down
/// and up, ready and not ready, maintenance, stale), each with its
/// `MESSAGE_ID` event and the check's facts as metadata; runs at debug level.
public struct TransitionLog: HealthObserver {
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func observe(_ update: HealthUpdate) {
        if let run = update.run {
            logRun(run)
        }
        for event in update.events {
            log(event)
        }
    }

    private func logRun(_ run: CheckRun) {
        guard logger.logLevel <= .debug else { return }
        if let reason = run.reason {
            logger.debug("check failed", metadata: ["check": "\(run.check)", "reason": "\(reason)", "duration_ms": "\(run.duration.milliseconds)"])
        } else {
            logger.debug("check passed", metadata: ["check": "\(run.check)", "duration_ms": "\(run.duration.milliseconds)"])
        }
    }

    private func log(_ event: HealthEvent) {
        switch event {
        case .checkDown(let check):
            var metadata: Logger.Metadata = [
                HealthLogEvent.metadataKey: "\(HealthLogEvent.checkDown.rawValue)",
                "check": "\(check.name)", "kind": "\(check.kind)", "critical": "\(check.critical)",
            ]
            if let reason = check.reason { metadata["reason"] = "\(reason)" }
            if let output = check.output { metadata["output"] = "\(output)" }
            logger.log(level: check.critical ? .error : .warning, "check down", metadata: metadata)
        case .checkUp(let check):
            logger.notice(
                "check up",
                metadata: [HealthLogEvent.metadataKey: "\(HealthLogEvent.checkUp.rawValue)", "check": "\(check.name)", "kind": "\(check.kind)"]
            )
        case .checkWarning(let check):
            var metadata: Logger.Metadata = ["check": "\(check.name)", "kind": "\(check.kind)"]
            if let reason = check.reason { metadata["reason"] = "\(reason)" }
            if let output = check.output { metadata["output"] = "\(output)" }
            logger.warning("check warning", metadata: metadata)
        case .probeChanged(let verdict):
            var metadata: Logger.Metadata = ["probe": "\(verdict.probe.endpoint)", "status": "\(verdict.status)"]
            if verdict.probe == .readiness {
                let kind: HealthLogEvent = verdict.status.isHealthy ? .ready : .notReady
                metadata[HealthLogEvent.metadataKey] = "\(kind.rawValue)"
            }
            let failing = verdict.checks.filter { $0.status == .fail }.map(\.name)
            if let reason = verdict.reason {
                metadata["reason"] = "\(reason)"
            } else if !failing.isEmpty {
                metadata["failing"] = "\(failing.joined(separator: ","))"
            }
            logger.notice("\(Self.transitionMessage(verdict))", metadata: metadata)
        case .maintenanceChanged(let on):
            logger.notice(on ? "maintenance on" : "maintenance off")
        case .checkStale(let check):
            logger.warning("check stale", metadata: ["check": "\(check.name)", "reason": "stale", "output": "\(check.output ?? "")"])
        }
    }

    private static func transitionMessage(_ verdict: ProbeVerdict) -> String {
        let healthy = verdict.status.isHealthy
        switch verdict.probe {
        case .liveness: return healthy ? "live" : "not live"
        case .readiness: return healthy ? "ready" : "not ready"
        case .startup: return healthy ? "started" : "not started"
        }
    }
}
