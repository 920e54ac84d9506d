import ArgumentParser
import HealthExporter

struct PrintDefaultConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print-default-config",
        abstract: "Print the built-in demo configuration (a starting point for your own)."
    )

    func run() {
        print(DemoConfiguration.yaml, terminator: "")
    }
}
