import NIOConcurrencyHelpers
import NIOCore

/// All series of one metric name: the handle through which series are
/// created (once, at setup) and then updated directly (on hot paths).
///
/// Each series' sample-line prefixes (`name{check="db",le="0.5"} `) are
/// rendered to bytes when the series is created, so a scrape only copies
/// bytes and formats numbers.
public final class MetricFamily<Series: Sendable & AnyObject>: Sendable {
    /// Name, help, type and label names.
    public let descriptor: MetricDescriptor

    struct Entry: Sendable {
        let labelValues: [String]
        let series: Series
        let lines: SeriesLines
    }

    // Guards the series list, kept sorted by label values for a stable exposition order.
    private let entries = NIOLockedValueBox<[Entry]>([])
    private let makeSeries: @Sendable ([String]) -> Series

    init(descriptor: MetricDescriptor, makeSeries: @escaping @Sendable ([String]) -> Series) {
        self.descriptor = descriptor
        self.makeSeries = makeSeries
    }

    /// The series with these label values (in label-name order), created on first use.
    /// - Throws: ``RegistryError`` `labelCountMismatch` when the count differs from the label names.
    public func labels(_ values: String...) throws(RegistryError) -> Series {
        try labels(values)
    }

    /// The series with these label values (in label-name order), created on first use.
    /// - Throws: ``RegistryError`` `labelCountMismatch` when the count differs from the label names.
    public func labels(_ values: [String]) throws(RegistryError) -> Series {
        guard values.count == descriptor.labelNames.count else {
            throw RegistryError(
                code: .labelCountMismatch,
                message: "metric \(descriptor.name) takes labels (\(descriptor.labelNames.joined(separator: ", "))), got \(values.count) value(s)"
            )
        }
        return entries.withLockedValue { entries in
            let index = Self.insertionIndex(of: values, in: entries)
            if index < entries.count, entries[index].labelValues == values {
                return entries[index].series
            }
            let series = makeSeries(values)
            entries.insert(Entry(labelValues: values, series: series, lines: SeriesLines(descriptor: descriptor, labelValues: values)), at: index)
            return series
        }
    }

    /// Removes every series whose label values (in label-name order) match
    /// `predicate`, so they vanish from the exposition (e.g. a check removed
    /// by a reload). A handle kept elsewhere still works but is no longer rendered.
    public func removeSeries(where predicate: ([String]) -> Bool) {
        entries.withLockedValue { entries in
            entries.removeAll { predicate($0.labelValues) }
        }
    }

    /// Every series, sorted by label values.
    var sortedEntries: [Entry] {
        entries.withLockedValue { $0 }
    }

    private static func insertionIndex(of values: [String], in entries: [Entry]) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].labelValues.lexicographicallyPrecedes(values) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}

/// The pre-rendered, constant bytes of one series' sample lines.
struct SeriesLines: Sendable {
    /// `name{labels} ` for counters (`name` includes `_total`) and gauges.
    let sample: [UInt8]
    /// `base_created{labels} ` (OpenMetrics only; counters and histograms).
    let created: [UInt8]
    /// `name_bucket{labels,le="…"} ` per bound, `+Inf` last (histograms).
    let buckets: [[UInt8]]
    let sum: [UInt8]
    let count: [UInt8]

    init(descriptor: MetricDescriptor, labelValues: [String]) {
        let pairs = zip(descriptor.labelNames, labelValues).map { name, value in
            "\(name)=\"\(Self.escapeLabelValue(value))\""
        }
        func line(_ name: String, extra: String? = nil) -> [UInt8] {
            let all = extra.map { pairs + [$0] } ?? pairs
            return Array((all.isEmpty ? "\(name) " : "\(name){\(all.joined(separator: ","))} ").utf8)
        }
        let base = descriptor.kind == .counter ? String(descriptor.name.dropLast("_total".count)) : descriptor.name
        switch descriptor.kind {
        case .counter, .gauge:
            sample = line(descriptor.name)
            buckets = []
            sum = []
            count = []
        case .histogram:
            sample = []
            buckets = (descriptor.buckets.map { MetricNumber.format($0) } + ["+Inf"]).map { bound in
                line("\(base)_bucket", extra: "le=\"\(bound)\"")
            }
            sum = line("\(base)_sum")
            count = line("\(base)_count")
        }
        created = descriptor.kind == .gauge ? [] : line("\(base)_created")
    }

    static func escapeLabelValue(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
