import TestSupport
import Testing

@testable import Telemetry

@Suite("process_* metrics from /proc")
struct ProcessMetricsTests {
    @Test("parses /proc/self/stat, even with spaces and parentheses in the command name")
    func parseStat() throws {
        let line = "12345 (weird) name)) S 1 12345 12345 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 4 0 98765 543014912 8473 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0"
        let stat = try #require(ProcessMetrics.parseStat(line))
        #expect(stat == .init(userTicks: 250, systemTicks: 50, startTicks: 98765, virtualBytes: 543_014_912, residentPages: 8473))
        #expect(ProcessMetrics.parseStat("garbage") == nil)
        #expect(ProcessMetrics.parseStat("1 (x) S 1 2") == nil)
    }

    @Test("parses the boot time from /proc/stat")
    func bootTime() {
        #expect(ProcessMetrics.parseBootTime("cpu  1 2 3\nbtime 1795600000\nprocesses 5\n") == 1_795_600_000)
        #expect(ProcessMetrics.parseBootTime("cpu 1\n") == nil)
    }

    @Test("the live process reports plausible values")
    func live() throws {
        let registry = MetricsRegistry()
        try ProcessMetrics.register(in: registry)
        let text = registry.render(.prometheus)
        func value(_ name: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
        }
        #expect((value("process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect((value("process_virtual_memory_bytes") ?? 0) >= (value("process_resident_memory_bytes") ?? .infinity))
        #expect((value("process_open_fds") ?? 0) >= 3)
        #expect((value("process_max_fds") ?? 0) >= (value("process_open_fds") ?? .infinity))
        let start = try #require(value("process_start_time_seconds"))
        #expect(abs(start - WallClockTimestamp.now().secondsSinceEpoch) < 3600)
        #expect(value("process_cpu_seconds_total") != nil)
        #expect(try Promtool.checkMetrics(text).output == "")
        let resident = try #require(ProcessMetrics.residentBytes())
        let reported = try #require(value("process_resident_memory_bytes"))
        #expect(Double(resident) > reported / 2 && Double(resident) < reported * 2, "the same figure, read again: \(resident) vs \(reported)")
    }
}
