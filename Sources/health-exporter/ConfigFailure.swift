#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import HealthExporter

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
        var line = "health-exporter: error: \(message)\n"
        line.withUTF8 { bytes in
            _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count)
        }
    }
}
