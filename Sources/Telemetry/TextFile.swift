#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads small text files (configuration, token files, `/proc`) with plain
/// POSIX calls: no Foundation, no buffering beyond one chunk.
package enum TextFile {
    /// Why a file could not be read, as `strerror` words it.
    package struct ReadError: Error, CustomStringConvertible {
        package let description: String
    }

    /// Files larger than this are refused: a configuration or token never is.
    package static let maximumSize = 4 * 1024 * 1024

    package static func read(path: String) throws(ReadError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError(description: currentErrorText()) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                #if canImport(Darwin)
                Darwin.read(descriptor, buffer.baseAddress, buffer.count)
                #else
                Glibc.read(descriptor, buffer.baseAddress, buffer.count)
                #endif
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(description: currentErrorText())
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maximumSize else {
                throw ReadError(description: "larger than \(maximumSize) bytes")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ReadError(description: "not valid UTF-8 text")
        }
        return text
    }

    private static func currentErrorText() -> String {
        String(cString: strerror(errno))
    }
}
