import Foundation
import TestSupport
import Testing

/// The `health-exporter` binary built beside the test bundle, run as a user would.
enum ExecutableUnderTest {
    struct NotBuilt: Error, CustomStringConvertible {
        let path: String
        var description: String { "health-exporter is not built at \(path); run `swift build` first" }
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func url() throws -> URL {
        // swift test runs <build dir>/health-exporterPackageTests.xctest; the executable sits beside it.
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        if directory.lastPathComponent == "MacOS" {  // macOS bundle layout
            directory = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        let candidate = directory.appendingPathComponent("health-exporter")
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else { throw NotBuilt(path: candidate.path) }
        return candidate
    }

    /// Runs any program to completion and returns its standard output.
    static func output(of executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        _ = process.waitForExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs to completion (for commands that exit on their own).
    static func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        let status = process.waitForExit()
        return Outcome(
            status: status,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }

    /// The port of a JSON "listening" log line on 127.0.0.1.
    static func port(fromListeningLine line: String) -> Int? {
        guard let range = line.range(of: #""address":"127.0.0.1:"#) ?? line.range(of: #""address":"0.0.0.0:"#) else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    /// A long-running `serve`: started, with its stderr readable line by line.
    final class Service: @unchecked Sendable {
        // Only the test's own task touches these, one step at a time.
        let process = Process()
        private let errorPipe = Pipe()
        private var buffered = Data()
        private(set) var logLines: [String] = []

        /// Starts `health-exporter` with `arguments` or, with `launcher`, runs
        /// `launcher` with `arguments` (which then name the binary, e.g. for
        /// `systemd-socket-activate`). `environment` entries are added to ours.
        init(_ arguments: [String], launcher: String? = nil, environment: [String: String] = [:]) throws {
            process.executableURL = try launcher.map { URL(fileURLWithPath: $0) } ?? ExecutableUnderTest.url()
            process.arguments = arguments
            if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            }
            process.standardError = errorPipe
            process.standardOutput = FileHandle.nullDevice
            try process.run()
        }

        /// Reads log lines until one contains `text`, or the process ends.
        func waitForLine(containing text: String) -> String? {
            while true {
                if let line = logLines.first(where: { $0.contains(text) }) { return line }
                let chunk = errorPipe.fileHandleForReading.availableData
                if chunk.isEmpty { return nil }
                buffered.append(chunk)
                while let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                    logLines.append(String(decoding: buffered[buffered.startIndex..<newline], as: UTF8.self))
                    buffered = Data(buffered[buffered.index(after: newline)...])
                }
            }
        }

        /// Sends `signal` without waiting.
        func signal(_ signal: Int32) {
            kill(process.processIdentifier, signal)
        }

        /// The port of the "listening" log line (JSON log format).
        func listeningPort() -> Int? {
            waitForLine(containing: "\"msg\":\"listening\"").flatMap(ExecutableUnderTest.port(fromListeningLine:))
        }

        /// SIGTERM, and once the drain has begun, a second one to end its delay;
        /// then waits for the exit status.
        func stopSkippingDrain() -> Int32 {
            signal(SIGTERM)
            _ = waitForLine(containing: "draining")
            return stop()
        }

        /// Sends `signal` and waits for the exit status.
        func stop(signal: Int32 = SIGTERM) -> Int32 {
            kill(process.processIdentifier, signal)
            _ = waitForLine(containing: "\u{0}never")  // drain stderr to EOF
            return process.waitForExit()
        }
    }
}
