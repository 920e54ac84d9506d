#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a ``TextLogHandler`` writes its finished lines.
public protocol LogLineSink: Sendable {
    /// Writes one complete line (without the trailing newline).
    func write(line: String)
}

/// Writes lines to the process's standard error with one `write(2)` per line,
/// so concurrent loggers never interleave inside a line and nothing waits in a
/// stdio buffer when the process is killed.
public struct StandardErrorLogSink: LogLineSink {
    public init() {}

    public func write(line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { buffer in
                #if canImport(Darwin)
                Darwin.write(STDERR_FILENO, buffer.baseAddress, buffer.count)
                #else
                Glibc.write(STDERR_FILENO, buffer.baseAddress, buffer.count)
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                return  // stderr is gone; nowhere left to report it
            }
            offset += written
        }
    }
}
