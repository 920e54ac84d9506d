import Testing

@testable import Telemetry

/// Written before the release and read after it: writable data must survive.
nonisolated(unsafe) private var writtenBeforeRelease = 0

private protocol Shape { func area() -> Int }
private struct Square: Shape { let side: Int; func area() -> Int { side * side } }
private final class Circle: Shape { func area() -> Int { 3 } }

@Suite("Releasing the read-only pages start-up touched, in this very process")
struct ReadOnlyPagesTests {
    /// This process's file-backed resident set (`RssFile`), in kB.
    private static func residentFileKB() throws -> Int {
        let status = try TextFile.read(path: "/proc/self/status")
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssFile:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    @Test("the file-backed resident set shrinks, and code, constants, relocated and written data all still work")
    func release() throws {
        let literal = String(repeating: "health-exporter ", count: 4)
        let shapes: [any Shape] = [Square(side: 4), Circle()]
        writtenBeforeRelease = 42
        let before = try Self.residentFileKB()

        let released = try ReadOnlyPages.release()

        let after = try Self.residentFileKB()
        #expect(released > 1 << 20, "the test binary and its libraries have megabytes of code")
        #expect(after < before, "RssFile \(before) kB -> \(after) kB")
        // Code and constants fault back in; witness tables and metadata
        // (relocated by the loader) and written globals are untouched.
        #expect(writtenBeforeRelease == 42)
        #expect(shapes.map { $0.area() } == [16, 3])
        #expect(String(repeating: "health-exporter ", count: 4) == literal)
    }
}
