#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import Telemetry

/// systemd's protocols spoken without libsystemd: each checked against a
/// receiving socket bound here (the journal's path protocol is also checked
/// against the real journald in `JournaldIntegrationTests`).
@Suite("systemd protocols, natively: journal entries, sd_notify datagrams, the watchdog, socket activation")
struct SystemdProtocolTests {
    /// A bound Unix datagram socket: a path, or an abstract name when `abstract`.
    final class Receiver {
        let name: String
        let descriptor: CInt

        init(abstract: Bool = false) throws {
            let unique = "health-exporter-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            name = abstract ? "@\(unique)" : "/tmp/\(unique).sock"
            descriptor = socket(AF_UNIX, CInt(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(name.utf8)
            if abstract { bytes[0] = 0 }
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
            let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
            }
            try #require(bound == 0, "bind \(name): errno \(errno)")
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit {
            close(descriptor)
            if !name.hasPrefix("@") { unlink(name) }
        }

        /// The next datagram's bytes, or nil after 2 s.
        func receive() -> [UInt8]? {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            return count >= 0 ? Array(buffer[0..<count]) : nil
        }
    }

    @Test("journal entries: NAME=value lines, and a length-framed value when it holds a newline")
    func journalEncoding() throws {
        let encoded = JournalMessage.encode([JournalField("MESSAGE", "check down"), JournalField("OUTPUT", "line 1\nline 2")])
        var expected = Array("MESSAGE=check down\nOUTPUT\n".utf8)
        expected += [13, 0, 0, 0, 0, 0, 0, 0]  // 13 bytes, 64-bit little-endian
        expected += Array("line 1\nline 2\n".utf8)
        #expect(encoded == expected)

        let receiver = try Receiver()
        let sink = SystemdJournalSink(socketPath: receiver.name)
        #expect(sink.send([JournalField("MESSAGE", "check down"), JournalField("OUTPUT", "line 1\nline 2")]))
        #expect(receiver.receive() == expected)
    }

    @Test("a journal sink with nowhere to send reports failure instead of losing entries silently")
    func journalUnreachable() {
        #expect(!SystemdJournalSink(socketPath: "/nonexistent/journal/socket").send([JournalField("MESSAGE", "x")]))
        #expect(!SystemdJournalSink(socketPath: "relative/path").send([JournalField("MESSAGE", "x")]))
    }

    @Test("sd_notify datagrams reach a path and an abstract socket, in order", arguments: [false, true])
    func notify(abstract: Bool) throws {
        let receiver = try Receiver(abstract: abstract)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.name], pid: getpid())
        #expect(notifier.isManaged)
        notifier.notify(.ready.merging(.status("ready: 2 checks passing")))
        notifier.notify(.stopping)
        #expect(receiver.receive().map { String(decoding: $0, as: UTF8.self) } == NotifyMessage.ready.merging(.status("ready: 2 checks passing")).description)
        #expect(receiver.receive().map { String(decoding: $0, as: UTF8.self) } == NotifyMessage.stopping.description)
    }

    @Test("without NOTIFY_SOCKET nothing is sent and nothing fails")
    func unmanaged() {
        let notifier = SystemdNotifier(environment: [:], pid: getpid())
        #expect(!notifier.isManaged)
        notifier.notify(.ready)
        #expect(notifier.watchdogInterval == nil)
    }

    @Test(
        "the watchdog interval is half of WATCHDOG_USEC, only for this process",
        arguments: [
            (["WATCHDOG_USEC": "6000000"], Duration?.some(.seconds(3))),
            (["WATCHDOG_USEC": "6000000", "WATCHDOG_PID": "4242"], Duration?.some(.seconds(3))),
            (["WATCHDOG_USEC": "6000000", "WATCHDOG_PID": "4243"], nil),
            (["WATCHDOG_USEC": "0"], nil),
            (["WATCHDOG_USEC": "-5"], nil),
            (["WATCHDOG_USEC": "6s"], nil),
            ([:], nil),
        ])
    func watchdog(environment: [String: String], expected: Duration?) {
        #expect(SystemdNotifier.watchdogInterval(environment: environment, pid: 4242) == expected)
    }

    @Test("socket activation accepts a listening stream socket and nothing else")
    func listeningSocket() throws {
        let listener = socket(AF_INET, CInt(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        #expect(!SocketActivation.isListeningStreamSocket(listener), "bound, not yet listening")
        try #require(listen(listener, 8) == 0)
        #expect(SocketActivation.isListeningStreamSocket(listener))
        let datagram = socket(AF_INET, CInt(SOCK_DGRAM.rawValue), 0)
        defer { close(datagram) }
        #expect(!SocketActivation.isListeningStreamSocket(datagram))
        let file = open("/dev/null", O_RDONLY)
        defer { close(file) }
        #expect(!SocketActivation.isListeningStreamSocket(file))
    }
}
