/// Parsers for the scalar notations the configuration uses: durations
/// (`500ms`, `2s`, `1m30s`) and byte sizes (`512MiB`, `1GiB`, `64KB`).
///
/// They return `nil` on malformed input; the caller builds the error, because
/// only it knows the key path to name.
enum ConfigValueParsers {
    private static let durationUnits: [(suffix: String, nanoseconds: Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Parses a Go-style duration: one or more `<number><unit>` groups, units
    /// `ns us ms s m h`, e.g. `250ms`, `2s`, `1m30s`, `1.5s`. A leading `-` is
    /// accepted so the caller can report "must be positive" rather than "malformed".
    static func duration(_ text: String) -> Duration? {
        var rest = Substring(text.trimmingSpaces())
        var negative = false
        if rest.hasPrefix("-") {
            negative = true
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty else { return nil }
        var total: Double = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            // Longest suffix first so "ms" is not read as "m" followed by garbage.
            guard let unit = durationUnits.sorted(by: { $0.suffix.count > $1.suffix.count })
                .first(where: { rest.hasPrefix($0.suffix) })
            else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            total += value * Double(unit.nanoseconds)
        }
        guard total < Double(Int64.max) else { return nil }
        let nanoseconds = Int64(total.rounded())
        return .nanoseconds(negative ? -nanoseconds : nanoseconds)
    }

    private static let sizeUnits: [(suffix: String, bytes: Int64)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
        ("B", 1),
    ]

    /// Parses a byte size: a plain integer (bytes) or a number with a unit,
    /// binary (`KiB MiB GiB TiB`) or decimal (`KB MB GB TB`).
    static func byteSize(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces()
        if let plain = Int64(trimmed) { return plain }
        for unit in sizeUnits where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count).trimmingSpaces()
            guard let value = Double(number), value.isFinite else { return nil }
            let bytes = value * Double(unit.bytes)
            guard bytes < Double(Int64.max) else { return nil }
            return Int64(bytes.rounded())
        }
        return nil
    }

    /// Formats a duration the way the configuration writes it (`2s`, `500ms`, `1m30s`).
    static func format(_ duration: Duration) -> String {
        let nanoseconds = duration.nanoseconds
        if nanoseconds == 0 { return "0s" }
        if nanoseconds % 1_000_000_000 != 0 {
            if nanoseconds % 1_000_000 == 0 { return "\(nanoseconds / 1_000_000)ms" }
            if nanoseconds % 1_000 == 0 { return "\(nanoseconds / 1_000)us" }
            return "\(nanoseconds)ns"
        }
        var seconds = nanoseconds / 1_000_000_000
        var text = ""
        if seconds >= 3600 {
            text += "\(seconds / 3600)h"
            seconds %= 3600
        }
        if seconds >= 60 {
            text += "\(seconds / 60)m"
            seconds %= 60
        }
        if seconds > 0 || text.isEmpty { text += "\(seconds)s" }
        return text
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
