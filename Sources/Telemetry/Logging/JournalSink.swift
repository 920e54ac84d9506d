import CTelemetryShims

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

/// Sends entries to the local journald in its native protocol (what
/// `sd_journal_sendv` speaks, without linking libsystemd): values may hold
/// newlines, every field stays structured, and an entry too large for one
/// datagram travels in a sealed memfd, as libsystemd does it.
public struct SystemdJournalSink: JournalSink {
    /// Where journald listens for native entries.
    public static let defaultSocketPath = "/run/systemd/journal/socket"

    // One socket for the whole process; every entry is one sendmsg on it.
    private static let sharedSocket = makeSocket(defaultSocketPath)
    private let socket: UnixDatagramSocket?

    public init() {
        socket = Self.sharedSocket
    }

    /// A sink for a journald listening elsewhere (a test's socket, a container's mount).
    public init(socketPath: String) {
        socket = Self.makeSocket(socketPath)
    }

    private static func makeSocket(_ path: String) -> UnixDatagramSocket? {
        let socket = try? UnixDatagramSocket(sendingTo: path)
        // Large entries fit one datagram when the system allows; beyond that, a memfd.
        socket?.growSendBuffer(to: 8 * 1024 * 1024)
        return socket
    }

    public func send(_ fields: [JournalField]) -> Bool {
        guard let socket else { return false }
        let message = JournalMessage.encode(fields)
        let failure = message.withUnsafeBytes { bytes -> UnixDatagramSocket.Failure? in
            do throws(UnixDatagramSocket.Failure) {
                try socket.send(bytes)
                return nil
            } catch {
                return error
            }
        }
        guard let failure else { return true }
        // Larger than a datagram may be: pass it in a memfd instead.
        guard failure.errno == EMSGSIZE || failure.errno == ENOBUFS else { return false }
        return Self.sendSealed(message, over: socket)
    }

    /// Passes the entry in a sealed memfd: one datagram carrying only the descriptor.
    private static func sendSealed(_ message: [UInt8], over socket: UnixDatagramSocket) -> Bool {
        let descriptor = message.withUnsafeBytes { c_telemetry_sealed_memfd("journal-entry", $0.baseAddress, $0.count) }
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        do {
            try socket.send(UnsafeRawBufferPointer(start: nil, count: 0), passing: descriptor)
            return true
        } catch {
            return false
        }
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
