import Testing

@testable import HealthExporter

/// `bodyJSONPath` + `bodyEquals`: paths, types kept apart, bodies that are not JSON.
@Suite("BodyJSONExpectation: paths and values")
struct BodyJSONExpectationTests {
    private static let body = Array(#"{"status":"UP","ok":true,"count":3,"ratio":0.5,"none":null,"checks":[{"state":"ok"},{"state":"down"}]}"#.utf8)

    @Test("values at paths, as text", arguments: [
        (".status", "UP"), (".ok", "true"), (".count", "3"), (".ratio", "0.5"), (".none", "null"), (".checks[1].state", "down"),
    ])
    func values(_ path: String, _ expected: String) throws {
        let expectation = try #require(BodyJSONExpectation(path: path, equals: expected))
        #expect(expectation.value(in: Self.body) == expected)
    }

    @Test("nowhere: a missing key, an index out of range, an object, a body that is not JSON")
    func nowhere() throws {
        for path in [".missing", ".checks[5].state", ".checks", ".status.deeper"] {
            #expect(try #require(BodyJSONExpectation(path: path, equals: "x")).value(in: Self.body) == nil, "\(path)")
        }
        #expect(try #require(BodyJSONExpectation(path: ".status", equals: "UP")).value(in: Array("<html>".utf8)) == nil)
        #expect(try #require(BodyJSONExpectation(path: ".", equals: "1")).value(in: Array("1".utf8)) == "1")
    }

    @Test("malformed paths are refused", arguments: ["status", ".", "..a", ".a[", ".a[x]", ".a[-1]", "[0"])
    func malformed(_ path: String) {
        if path == "." { return }  // the whole body: valid
        #expect(BodyJSONExpectation(path: path, equals: "x") == nil)
    }
}
