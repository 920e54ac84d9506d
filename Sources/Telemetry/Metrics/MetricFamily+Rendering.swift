import NIOCore

/// A family the registry can render without knowing its series type.
protocol RenderableFamily: AnyObject, Sendable {
    var descriptor: MetricDescriptor { get }
    func render(_ format: ExpositionFormat, into buffer: inout ByteBuffer)
}

/// A series that writes its own sample lines from pre-rendered prefixes.
protocol RenderableSeries: Sendable {
    func render(_ lines: SeriesLines, format: ExpositionFormat, into buffer: inout ByteBuffer)
}

extension MetricFamily: RenderableFamily where Series: RenderableSeries {
    func render(_ format: ExpositionFormat, into buffer: inout ByteBuffer) {
        let entries = sortedEntries
        guard !entries.isEmpty else { return }
        writeHeader(format, into: &buffer)
        for entry in entries {
            entry.series.render(entry.lines, format: format, into: &buffer)
        }
    }

    private func writeHeader(_ format: ExpositionFormat, into buffer: inout ByteBuffer) {
        // OpenMetrics names a counter family without its _total suffix.
        let familyName =
            format == .openMetrics && descriptor.kind == .counter ? String(descriptor.name.dropLast("_total".count)) : descriptor.name
        buffer.writeString("# HELP \(familyName) \(Self.escapeHelp(descriptor.help, format: format))\n# TYPE \(familyName) \(descriptor.kind.rawValue)\n")
    }

    static func escapeHelp(_ help: String, format: ExpositionFormat) -> String {
        var escaped = ""
        for character in help {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"" where format == .openMetrics: escaped += "\\\""
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

extension Counter: RenderableSeries {
    func render(_ lines: SeriesLines, format: ExpositionFormat, into buffer: inout ByteBuffer) {
        buffer.writeBytes(lines.sample)
        MetricNumber.write(value, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "\n"))
        if format == .openMetrics {
            buffer.writeBytes(lines.created)
            MetricNumber.write(created.secondsSinceEpoch, into: &buffer)
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
    }
}

extension Gauge: RenderableSeries {
    func render(_ lines: SeriesLines, format: ExpositionFormat, into buffer: inout ByteBuffer) {
        buffer.writeBytes(lines.sample)
        MetricNumber.write(value, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "\n"))
    }
}

extension Histogram: RenderableSeries {
    func render(_ lines: SeriesLines, format: ExpositionFormat, into buffer: inout ByteBuffer) {
        let counts = cumulativeCounts
        for (prefix, count) in zip(lines.buckets, counts) {
            buffer.writeBytes(prefix)
            MetricNumber.write(count, into: &buffer)
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        buffer.writeBytes(lines.sum)
        MetricNumber.write(sum, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "\n"))
        // _count is the +Inf bucket's value, so the two agree even mid-update.
        buffer.writeBytes(lines.count)
        MetricNumber.write(counts.last ?? 0, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "\n"))
        if format == .openMetrics {
            buffer.writeBytes(lines.created)
            MetricNumber.write(created.secondsSinceEpoch, into: &buffer)
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
    }
}
