#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing

@testable import Telemetry

/// systemd's protocols spoken without libsystemd: each checked against a
/// receiving socket bound here (the journal's path protocol is also checked
/// against the real journald in `JournaldIntegrationTests`).
@Suite("systemd protocols, natively: journal entries, sd_notify datagrams, the watchdog, socket activation")
struct SystemdProtocolTests {
    @Test("journal entries: NAME=value lines, and a length-framed value when it holds a newline")
    func journalEncoding() throws {
        let encoded = JournalMessage.encode([JournalField("MESSAGE", "check down"), JournalField("OUTPUT", "line 1\nline 2")])
        var expected = Array("MESSAGE=check down\nOUTPUT\n".utf8)
        expected += [13, 0, 0, 0, 0, 0, 0, 0]  // 13 bytes, 64-bit little-endian
        expected += Array("line 1\nline 2\n".utf8)
        #expect(encoded == expected)

        let receiver = try UnixDatagramReceiver()
        let sink = SystemdJournalSink(socketPath: receiver.name)
        #expect(sink.send([JournalField("MESSAGE", "check down"), JournalField("OUTPUT", "line 1\nline 2")]))
        #expect(receiver.receive(within: 2) == expected)
    }

    @Test("a journal sink with nowhere to send reports failure instead of losing entries silently")
    func journalUnreachable() {
        #expect(!SystemdJournalSink(socketPath: "/nonexistent/journal/socket").send([JournalField("MESSAGE", "x")]))
        #expect(!SystemdJournalSink(socketPath: "relative/path").send([JournalField("MESSAGE", "x")]))
    }

    @Test("sd_notify datagrams reach a path and an abstract socket, in order", arguments: [false, true])
    func notify(abstract: Bool) throws {
        let receiver = try UnixDatagramReceiver(abstract: abstract)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.name], pid: getpid())
        #expect(notifier.isManaged)
        notifier.notify(.ready.merging(.status("ready: 2 checks passing")))
        notifier.notify(.stopping)
        #expect(receiver.receive(within: 2).map { String(decoding: $0, as: UTF8.self) } == NotifyMessage.ready.merging(.status("ready: 2 checks passing")).description)
        #expect(receiver.receive(within: 2).map { String(decoding: $0, as: UTF8.self) } == NotifyMessage.stopping.description)
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
