#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small files for tests that need a path (configuration, token files).
enum TemporaryFile {
    struct WriteError: Error {}

    static func write(_ text: String, suffix: String = ".txt") throws -> String {
        var template = Array("/tmp/health-exporter-test-XXXXXX\(suffix)".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, Int32(suffix.utf8.count)) }
        try fill(descriptor, with: text)
        return String(cString: template.map { UInt8(bitPattern: $0) } + [])
    }

    /// Writes `text` to `descriptor` and closes it.
    private static func fill(_ descriptor: CInt, with text: String) throws {
        guard descriptor >= 0 else { throw WriteError() }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else { throw WriteError() }
    }

    static func remove(_ path: String) {
        unlink(path)
    }
}

extension TemporaryFile {
    /// Replaces the contents of `path` (a reload test's edit of its config file).
    static func overwrite(_ path: String, with text: String) throws {
        try fill(open(path, O_WRONLY | O_TRUNC), with: text)
    }
}
