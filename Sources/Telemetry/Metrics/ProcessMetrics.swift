#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard `process_*` metrics, read from `/proc/self` at scrape time,
/// under the names Prometheus client libraries use.
///
/// The reads are a handful of small in-memory files (no disk), so doing them
/// on the scraping thread costs microseconds. Where `/proc` is missing (not
/// Linux) the series keep their last values instead of failing the scrape.
public struct ProcessMetrics: Sendable {
    /// Registers the families and a collector that refreshes them before each render.
    /// - Throws: ``RegistryError`` if the names are taken by other definitions.
    public static func register(in registry: MetricsRegistry) throws(RegistryError) {
        let cpu = try registry.counter("process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.").labels()
        let resident = try registry.gauge("process_resident_memory_bytes", help: "Resident memory size in bytes.").labels()
        let virtual = try registry.gauge("process_virtual_memory_bytes", help: "Virtual memory size in bytes.").labels()
        let openFDs = try registry.gauge("process_open_fds", help: "Number of open file descriptors.").labels()
        let maxFDs = try registry.gauge("process_max_fds", help: "Maximum number of open file descriptors.").labels()
        let start = try registry.gauge("process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.").labels()

        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = readStat(), let bootTime = readBootTime(), ticks > 0 {
            start.set(bootTime + stat.startTicks / ticks)
        }
        registry.addCollector {
            if let stat = readStat() {
                if ticks > 0 { cpu.set(total: (stat.userTicks + stat.systemTicks) / ticks) }
                virtual.set(stat.virtualBytes)
                resident.set(stat.residentPages * pageSize)
            }
            if let count = countOpenFileDescriptors() { openFDs.set(Double(count)) }
            var limit = rlimit()
            #if canImport(Glibc)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
            #else
            let resource = RLIMIT_NOFILE
            #endif
            if getrlimit(resource, &limit) == 0 { maxFDs.set(Double(limit.rlim_cur)) }
        }
    }

    struct Stat: Equatable {
        var userTicks: Double
        var systemTicks: Double
        var startTicks: Double
        var virtualBytes: Double
        var residentPages: Double
    }

    /// Parses `/proc/self/stat`; the command name may hold spaces and parentheses,
    /// so fields are counted from the last `)`.
    static func parseStat(_ text: String) -> Stat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        // Fields after ")" start at field 3 (state).
        let fields = text[text.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double? {
            let index = number - 3
            return index < fields.count ? Double(fields[index]) : nil
        }
        guard let user = field(14), let system = field(15), let start = field(22), let virtual = field(23), let rss = field(24) else {
            return nil
        }
        return Stat(userTicks: user, systemTicks: system, startTicks: start, virtualBytes: virtual, residentPages: rss)
    }

    static func parseBootTime(_ text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count))
        }
        return nil
    }

    /// The resident set in bytes, as `process_resident_memory_bytes` reports it.
    package static func residentBytes() -> Int? {
        readStat().map { Int($0.residentPages) * Int(sysconf(Int32(_SC_PAGESIZE))) }
    }

    private static func readStat() -> Stat? {
        (try? TextFile.read(path: "/proc/self/stat")).flatMap(parseStat)
    }

    private static func readBootTime() -> Double? {
        (try? TextFile.read(path: "/proc/stat")).flatMap(parseBootTime)
    }

    private static func countOpenFileDescriptors() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in name[0] == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        return count - 1  // the directory stream's own descriptor
    }
}
