import ArgumentParser
import HealthExporter

@main
struct HealthExporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health-exporter",
        abstract: "Answers Kubernetes and systemd health probes from dependency checks run in the background.",
        discussion: """
            Probes (/livez, /readyz, /startupz, and the seed app's /health and /ready) are \
            answered from the latest results of checks that run on their own schedule, so a \
            probe never waits on a dependency.

            With no arguments it serves the built-in demo on 127.0.0.1:8000: the seed app, \
            with a simulated database and external service on readiness that \
            POST /simulate_db_failure (and friends) flip. See `health-exporter print-default-config`.

            Exit codes: 0 after a clean stop (SIGTERM or SIGINT), 78 for an invalid \
            configuration, 1 when the service cannot start (e.g. the address is in use).
            """,
        version: HealthExporterVersion.current,
        subcommands: [ServeCommand.self, CheckConfigCommand.self, PrintDefaultConfigCommand.self, KubernetesProbesCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
