import Foundation
import Testing

/// Golden files: the expected output, byte for byte, in `Fixtures/` beside the
/// calling test file. Run with `UPDATE_GOLDEN=1` to rewrite them after a
/// deliberate change, then review the diff.
public enum Golden {
    public static func check(
        _ actual: String,
        fixture name: String,
        filePath: String = #filePath,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
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
