#if canImport(Glibc)
import Glibc
#endif
import Logging
import TelemetryTesting
import Testing

@testable import Telemetry

@Suite("journald entries: fields, MESSAGE_IDs, sanitized names")
struct JournaldLogHandlerTests {
    private struct RefusingSink: JournalSink {
        func send(_ fields: [JournalField]) -> Bool { false }
    }

    private func logger(_ sink: any JournalSink, level: Logger.Level = .info) -> Logger {
        Logger(label: "health-exporter") { label in JournaldLogHandler(label: label, level: level, sink: sink) }
    }

    @Test("a check-down entry carries every field journald needs, in order")
    func fields() throws {
        let sink = InMemoryJournalSink()
        let line: UInt = #line + 1
        logger(sink).error("check down", metadata: ["event": "check_down", "check": "database", "reason": "timeout", "duration_ms": "2001"])
        let entry = try #require(sink.entries.first)
        #expect(sink.entries.count == 1)
        #expect(entry == [
            JournalField("MESSAGE", "check down"),
            JournalField("PRIORITY", "3"),
            JournalField("SYSLOG_IDENTIFIER", "health-exporter"),
            JournalField("CODE_FILE", #fileID),
            JournalField("CODE_LINE", String(line)),
            JournalField("CODE_FUNC", "fields()"),
            JournalField("LOGGER", "health-exporter"),
            JournalField("MESSAGE_ID", HealthLogEvent.checkDown.messageID),
            JournalField("CHECK", "database"),
            JournalField("DURATION_MS", "2001"),
            JournalField("EVENT", "check_down"),
            JournalField("REASON", "timeout"),
        ])
    }

    @Test("every event kind has its own valid 128-bit MESSAGE_ID")
    func messageIDs() {
        let ids = HealthLogEvent.allCases.map(\.messageID)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.count == 32 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase }, "\(id)")
        }
    }

    @Test("an unknown event gets no MESSAGE_ID", arguments: ["nonsense", ""])
    func unknownEvent(_ kind: String) throws {
        let sink = InMemoryJournalSink()
        logger(sink).info("x", metadata: ["event": "\(kind)"])
        #expect(try #require(sink.entries.first).allSatisfy { $0.name != "MESSAGE_ID" })
    }

    @Test("field names are sanitized to A-Z 0-9 _, never leading _ or a digit", arguments: [
        ("check", "CHECK"), ("duration.ms", "DURATION_MS"), ("_SYSTEMD_UNIT", "SYSTEMD_UNIT"), ("__x", "X"),
        ("9lives", "F_9LIVES"), ("héllo wörld", "H_LLO_W_RLD"), ("", "F_"), (String(repeating: "a", count: 80), String(repeating: "A", count: 64)),
    ])
    func fieldNames(_ key: String, _ expected: String) {
        #expect(JournaldLogHandler.fieldName(key) == expected)
    }

    @Test("metadata cannot overwrite MESSAGE, PRIORITY or the identifier")
    func reserved() throws {
        let sink = InMemoryJournalSink()
        logger(sink).notice("real", metadata: ["message": "forged", "priority": "0", "syslog_identifier": "sshd"])
        let entry = try #require(sink.entries.first)
        #expect(entry.filter { $0.name == "MESSAGE" } == [JournalField("MESSAGE", "real")])
        #expect(entry.filter { $0.name == "PRIORITY" } == [JournalField("PRIORITY", "5")])
        #expect(entry.filter { $0.name == "SYSLOG_IDENTIFIER" } == [JournalField("SYSLOG_IDENTIFIER", "health-exporter")])
    }

    @Test("levels map to syslog priorities")
    func priorities() {
        let expected: [(Logger.Level, Int)] = [(.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2)]
        for (level, priority) in expected {
            #expect(JournaldLogHandler.priority(level) == priority)
        }
    }

    @Test("a refused entry is counted (and falls back to stderr)")
    func refusedSend() {
        let handler = JournaldLogHandler(label: "t", sink: RefusingSink())
        var log = Logger(label: "t") { _ in handler }
        log.logLevel = .info
        log.info("cannot reach journald")
        #expect(handler.failedSends == 1)
    }

    @Test("auto picks journald only when JOURNAL_STREAM names our stderr")
    func autoDetection() {
        #expect(LogFormat.auto.resolved(environment: [:]) == .json)
        #expect(LogFormat.auto.resolved(environment: ["JOURNAL_STREAM": "1:1"]) == .json)
        #expect(LogFormat.auto.resolved(environment: ["JOURNAL_STREAM": "garbage"]) == .json)
        #expect(LogFormat.logfmt.resolved(environment: ["JOURNAL_STREAM": "1:1"]) == .logfmt)
        #expect(LogFormat.journald.resolved(environment: [:]) == .journald)

        var status = stat()
        #expect(fstat(STDERR_FILENO, &status) == 0)
        let ours = "\(status.st_dev):\(status.st_ino)"
        #expect(LogFormat.auto.resolved(environment: ["JOURNAL_STREAM": ours]) == .journald)
    }
}
