import CSystemd

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where a ``JournaldLogHandler`` sends its entries.
public protocol JournalSink: Sendable {
    /// Sends one entry; returns false when it could not be delivered.
    func send(_ fields: [JournalField]) -> Bool
}

/// One `NAME=value` field of a journal entry.
public struct JournalField: Sendable, Hashable {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Sends entries to the local journald with `sd_journal_sendv`: the native
/// protocol, so values may hold newlines and every field stays structured.
public struct SystemdJournalSink: JournalSink {
    public init() {}

    public func send(_ fields: [JournalField]) -> Bool {
        // One contiguous block of "NAME=value" strings, with iovecs pointing into it.
        var block: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in fields {
            let start = block.count
            block.append(contentsOf: field.name.utf8)
            block.append(UInt8(ascii: "="))
            block.append(contentsOf: field.value.utf8)
            ranges.append(start..<block.count)
        }
        let result = block.withUnsafeMutableBytes { bytes -> Int32 in
            var vectors = ranges.map { range in
                iovec(iov_base: bytes.baseAddress! + range.lowerBound, iov_len: range.count)
            }
            return vectors.withUnsafeMutableBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
        return result >= 0
    }

    /// Whether this process's stderr is connected to the journal, as systemd
    /// says through `JOURNAL_STREAM=<device>:<inode>` for a service's stdio.
    public static func isStandardErrorJournal(environment: [String: String]) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(STDERR_FILENO, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}
