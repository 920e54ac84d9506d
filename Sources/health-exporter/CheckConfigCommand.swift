import ArgumentParser
import HealthExporter

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file without serving.",
        discussion: """
            Prints a one-line summary and exits 0 when the file is valid; otherwise prints \
            one error line naming the file, line, key and offending value, and exits 78.
            """
    )

    @Argument(help: "The YAML configuration file to validate.")
    var file: String

    func run() throws {
        let config: HealthExporterConfig
        do {
            config = try ConfigLoader.load(path: file)
        } catch {
            throw ConfigFailure.report(error)
        }
        let names = config.checks.map(\.name).joined(separator: ", ")
        print("\(file): ok: listen \(config.listen), \(config.checks.count) check(s)\(names.isEmpty ? "" : ": \(names)")")
    }
}
