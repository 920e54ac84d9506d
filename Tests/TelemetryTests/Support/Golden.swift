import Foundation
import Testing

/// Golden files under `Fixtures/`: the expected output, byte for byte.
/// Run with `UPDATE_GOLDEN=1` to rewrite them after a deliberate change, then review the diff.
enum Golden {
    // This file lives in Tests/TelemetryTests/Support; the fixtures beside Support.
    private static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func check(_ actual: String, fixture name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(name); run with UPDATE_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "differs from Fixtures/\(name)", sourceLocation: sourceLocation)
    }
}
