import Foundation
import Telemetry
import Testing

/// Against the real systemd-journald (scripts/test starts one when the machine
/// has none running): the service's entries, read back with `journalctl -o json`.
@Suite(
    "Structured entries in a real journald",
    .serialized,
    .timeLimit(.minutes(1)),
    .enabled(if: SystemdJournalSink().send([JournalField("MESSAGE", "health-exporter tests: journald reachable")]), "no journald reachable")
)
struct JournaldIntegrationTests {
    private static func journal(pid: Int32, all: Bool = false) throws -> [[String: String]] {
        // --all: fields over 4 KiB are shown, not replaced by null.
        try ExecutableUnderTest.output(of: "/usr/bin/journalctl", ["-o", "json", "--no-pager"] + (all ? ["--all"] : []) + ["_PID=\(pid)"]).split(
            separator: "\n"
        ).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return object.compactMapValues { $0 as? String }
        }
    }

    private static func waitForEntry(pid: Int32, where predicate: ([String: String]) -> Bool) async throws -> [String: String]? {
        for _ in 0..<100 {
            if let entry = try journal(pid: pid).first(where: predicate) { return entry }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    @Test("a check going down is one entry with CHECK, REASON, MESSAGE_ID and code location")
    func transitionEntries() async throws {
        let service = try ExecutableUnderTest.Service(["--listen", "127.0.0.1:0", "--log-format", "journald"])
        let pid = service.process.processIdentifier
        let listening = try #require(try await Self.waitForEntry(pid: pid) { $0["MESSAGE"] == "listening" })
        let address = try #require(listening["ADDRESS"])
        let port = try #require(Int(address.split(separator: ":").last ?? ""))

        let client = try await RawHTTPClient.connect(port: port)
        #expect(try await client.request("POST", "/simulate_db_failure").status == 200)
        await client.close()

        let down = try #require(try await Self.waitForEntry(pid: pid) { $0["MESSAGE"] == "check down" })
        #expect(down["CHECK"] == "database")
        #expect(down["REASON"] == "simulated")
        #expect(down["OUTPUT"] == "Database not available")
        #expect(down["PRIORITY"] == "3")
        #expect(down["MESSAGE_ID"] == HealthLogEvent.checkDown.messageID)
        #expect(down["SYSLOG_IDENTIFIER"] == "health-exporter")
        #expect(down["CODE_FILE"]?.hasSuffix("TransitionLog.swift") == true)
        #expect(down["CODE_FUNC"] != nil && down["CODE_LINE"] != nil)

        let notReady = try #require(try await Self.waitForEntry(pid: pid) { $0["MESSAGE"] == "not ready" })
        #expect(notReady["MESSAGE_ID"] == HealthLogEvent.notReady.messageID)
        #expect(notReady["PROBE"] == "readyz")
        #expect(notReady["FAILING"] == "database")

        #expect(service.stop() == 0)
        let entries = try Self.journal(pid: pid)
        #expect(entries.filter { $0["MESSAGE"] == "check down" }.count == 1, "one entry per transition")
        if let line = try? JSONSerialization.data(withJSONObject: down.filter { !$0.key.hasPrefix("__") }, options: [.sortedKeys]) {
            print("journalctl -o json entry: \(String(decoding: line, as: UTF8.self))")
        }
    }

    @Test("native protocol without libsystemd: a multi-line field and a 1 MiB entry (sent in a sealed memfd) arrive intact")
    func nativeProtocol() async throws {
        let marker = "native-\(UInt32.random(in: 0...UInt32.max))"
        let multiline = "line one\nline two\n\nline four"
        // Larger than any datagram the kernel allows a Unix socket: journald must take it through the memfd.
        let large = String(repeating: "0123456789abcdef", count: 65536)
        let sink = SystemdJournalSink()
        #expect(sink.send([JournalField("MESSAGE", "small \(marker)"), JournalField("HE_TEST_OUTPUT", multiline)]))
        #expect(sink.send([JournalField("MESSAGE", "large \(marker)"), JournalField("HE_TEST_PAYLOAD", large)]))
        let pid = getpid()
        var small: [String: String]?
        var big: [String: String]?
        for _ in 0..<100 where small == nil || big == nil {
            let entries = try Self.journal(pid: pid, all: true)
            small = entries.first { $0["MESSAGE"] == "small \(marker)" }
            big = entries.first { $0["MESSAGE"] == "large \(marker)" }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(small?["HE_TEST_OUTPUT"] == multiline)
        #expect(big?["HE_TEST_PAYLOAD"]?.count == large.count)
        #expect(big?["HE_TEST_PAYLOAD"] == large)
    }
}
