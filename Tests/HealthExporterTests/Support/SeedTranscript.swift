import Foundation
import Testing

/// The seed FastAPI app's answers, word for word, as a replayable sequence:
/// `Fixtures/seed-app.json` is written the way the seed answers (FastAPI's
/// JSON), and both the router and the real binary are compared with it.
struct SeedTranscript {
    struct Step: Decodable, CustomStringConvertible {
        let method: String
        let path: String
        let status: Int
        let body: [String: String]

        var description: String { "\(method) \(path)" }
    }

    let steps: [Step]

    static func load() throws -> SeedTranscript {
        // This file is Support/SeedTranscript.swift; the fixture is in Fixtures/ beside Support/.
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/seed-app.json")
        return SeedTranscript(steps: try JSONDecoder().decode([Step].self, from: Data(contentsOf: url)))
    }

    /// Compares one answer with the seed's: status, `application/json`, and
    /// the body's keys and values exactly (the seed's spacing may differ).
    static func expect(
        _ step: Step, status: Int, contentType: String?, body: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(status == step.status, "\(step)", sourceLocation: sourceLocation)
        #expect(contentType == "application/json", "\(step)", sourceLocation: sourceLocation)
        let decoded = try? JSONDecoder().decode([String: String].self, from: Data(body.utf8))
        #expect(decoded == step.body, "\(step): \(body)", sourceLocation: sourceLocation)
    }
}
