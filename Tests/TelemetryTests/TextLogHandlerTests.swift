import Logging
import TelemetryTesting
import Testing

@testable import Telemetry

@Suite("JSON-lines and logfmt log handler")
struct TextLogHandlerTests {
    private static let time = WallClockTimestamp(nanosecondsSinceEpoch: 1_795_676_400_120_000_000)

    private func logger(_ format: TextLogHandler.LineFormat, sink: InMemoryLogSink, level: Logger.Level = .info, provider: Logger.MetadataProvider? = nil) -> Logger {
        Logger(label: "health-exporter") { label in
            TextLogHandler(label: label, format: format, level: level, sink: sink, metadataProvider: provider, clock: { Self.time })
        }
    }

    @Test("a JSON line has the fixed fields first, then metadata sorted by key")
    func jsonLine() {
        let sink = InMemoryLogSink()
        logger(.json, sink: sink).error("check down", metadata: ["reason": "timeout", "check": "database"])
        #expect(sink.lines == [#"{"ts":"2026-11-26T07:00:00.120Z","level":"error","msg":"check down","logger":"health-exporter","check":"database","reason":"timeout"}"#])
    }

    @Test("logfmt quotes only what needs it")
    func logfmtLine() {
        let sink = InMemoryLogSink()
        logger(.logfmt, sink: sink).notice("not ready", metadata: ["probe": "readyz", "output": "Database not available", "empty": ""])
        #expect(sink.lines == [#"ts=2026-11-26T07:00:00.120Z level=notice msg="not ready" logger=health-exporter empty="" output="Database not available" probe=readyz"#])
    }

    @Test("hostile text stays inside its field, one line per event", arguments: [
        (TextLogHandler.LineFormat.json, #"{"ts":"2026-11-26T07:00:00.120Z","level":"warning","msg":"line\nbreak","logger":"health-exporter","key with space=x":"v\"\nlevel=critical"}"#),
        (.logfmt, #"ts=2026-11-26T07:00:00.120Z level=warning msg="line\nbreak" logger=health-exporter key_with_space_x="v\"\nlevel=critical""#),
    ])
    func hostileText(_ format: TextLogHandler.LineFormat, _ expected: String) {
        let sink = InMemoryLogSink()
        logger(format, sink: sink).warning("line\nbreak", metadata: ["key with space=x": "v\"\nlevel=critical"])
        #expect(sink.lines == [expected])
    }

    @Test("metadata merges handler, provider, call site; later wins; nested values flatten")
    func mergeOrder() {
        let sink = InMemoryLogSink()
        let provider = Logger.MetadataProvider { ["source": "provider", "request": "r1"] }
        var log = logger(.json, sink: sink, provider: provider)
        log[metadataKey: "source"] = "handler"
        log[metadataKey: "instance"] = "a"
        log.info("hello", metadata: ["request": "r2", "nested": ["inner": "1"]])
        #expect(sink.lines == [#"{"ts":"2026-11-26T07:00:00.120Z","level":"info","msg":"hello","logger":"health-exporter","instance":"a","source":"provider","nested.inner":"1","request":"r2"}"#])
    }

    @Test("metadata cannot overwrite the fixed fields")
    func reservedKeys() {
        let sink = InMemoryLogSink()
        logger(.json, sink: sink).info("real", metadata: ["msg": "forged", "level": "critical"])
        #expect(sink.lines == [#"{"ts":"2026-11-26T07:00:00.120Z","level":"info","msg":"real","logger":"health-exporter"}"#])
    }

    @Test("level and metadata are values: a copy changes independently")
    func valueSemantics() {
        let sink = InMemoryLogSink()
        let first = logger(.json, sink: sink)
        var second = first
        second.logLevel = .debug
        second[metadataKey: "only"] = "second"
        first.debug("hidden")
        second.debug("shown")
        #expect(first.logLevel == .info)
        #expect(first[metadataKey: "only"] == nil)
        #expect(sink.lines.count == 1)
        #expect(sink.lines[0].contains(#""only":"second""#))
    }

    @Test("levels below the handler's are dropped")
    func levels() {
        let sink = InMemoryLogSink()
        let log = logger(.json, sink: sink, level: .warning)
        log.info("no")
        log.warning("yes")
        #expect(sink.lines.count == 1)
    }
}
