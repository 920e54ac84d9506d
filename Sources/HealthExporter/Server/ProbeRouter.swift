import Logging
import NIOHTTP1
import Telemetry

/// Sends each request to the side that answers it, by its ``Route`` (parsed
/// once, in ``ProbeRequest``): read-only routes to ``ProbeAnswers``, which
/// reads only the snapshot it is given; state-changing routes to
/// ``AdminCommands``, behind the ``AdminGate``.
public struct ProbeRouter: Sendable {
    let monitor: HealthMonitor
    let answers: ProbeAnswers
    let commands: AdminCommands

    public init(
        monitor: HealthMonitor,
        root: HealthExporterConfig.Root = .statusz,
        admin: HealthExporterConfig.Admin,
        details: HealthExporterConfig.Expose.Details,
        version: String,
        metrics: MetricsRegistry? = nil,
        refusalLogger: Logger? = nil
    ) {
        self.monitor = monitor
        self.answers = ProbeAnswers(root: root, details: details, token: admin.token, version: version, metrics: metrics)
        self.commands = AdminCommands(
            monitor: monitor, gate: AdminGate(admin: admin, refusals: refusalLogger.map { AdminRefusalLog(logger: $0) }))
    }

    /// The answer to `request`, given the current `snapshot`.
    public func answer(_ request: ProbeRequest, snapshot: HealthSnapshot) -> HTTPAnswer {
        request.route.isCommand ? commands.perform(request) : answers.answer(request, snapshot: snapshot)
    }
}
