import Foundation
import Testing

/// Runs Debian's `promtool check metrics` on exposition text: the real linter,
/// which prints nothing and exits 0 when the text is clean.
public enum Promtool {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "promtool is not installed (Debian package prometheus; scripts/test installs it)" }
    }

    public static func checkMetrics(_ text: String) throws -> (status: Int32, output: String) {
        guard let path = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: FileManager.default.isExecutableFile) else {
            throw Missing()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let status = process.waitForExit()
        return (status, String(decoding: printed, as: UTF8.self))
    }
}
