import ArgumentParser
import HealthExporter
import Telemetry

/// How the commands report a configuration that cannot be used: one line on
/// stderr, and exit status 78 (EX_CONFIG), which a systemd unit can list in
/// `RestartPreventExitStatus=` so a broken file does not restart-loop.
enum ConfigFailure {
    static let exitCode = ExitCode(78)

    static func report(_ error: ConfigError) -> ExitCode {
        printError("invalid configuration: \(error)")
        return exitCode
    }

    static func printError(_ message: String) {
        printLine("health-exporter: error: \(message)")
    }

    static func printWarning(_ message: String) {
        printLine("health-exporter: warning: \(message)")
    }

    private static func printLine(_ text: String) {
        // The log's stderr writer: it finishes partial writes and retries on EINTR.
        StandardErrorLogSink().write(line: text)
    }
}
