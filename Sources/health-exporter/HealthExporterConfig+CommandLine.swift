import ArgumentParser
import HealthExporter

extension HealthExporterConfig {
    /// The file named by `--config`, or the built-in demo; an invalid file is
    /// reported as one line and exit status 78.
    static func fromCommandLine(path: String?) throws -> HealthExporterConfig {
        do throws(ConfigError) {
            guard let path else { return try DemoConfiguration.load() }
            return try ConfigLoader.load(path: path)
        } catch {
            throw ConfigFailure.report(error)
        }
    }
}
