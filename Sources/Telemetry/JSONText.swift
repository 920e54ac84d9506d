/// Minimal JSON string encoding shared by the log handlers and the probe bodies.
///
/// The service writes small, fixed-shape documents on hot paths; building them
/// by hand avoids `JSONEncoder` (and Foundation) while staying strictly valid:
/// every control character, quote and backslash is escaped.
public enum JSONText {
    /// Appends `value` to `output` as a quoted JSON string.
    public static func appendQuoted(_ value: String, to output: inout String) {
        output.append("\"")
        var pendingStart = value.unicodeScalars.startIndex
        let scalars = value.unicodeScalars
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let escape: String?
            switch scalar {
            case "\"": escape = "\\\""
            case "\\": escape = "\\\\"
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            case "\u{2028}": escape = "\\u2028"
            case "\u{2029}": escape = "\\u2029"
            default:
                escape = scalar.value < 0x20 ? unicodeEscape(scalar.value) : nil
            }
            if let escape {
                output.unicodeScalars.append(contentsOf: scalars[pendingStart..<index])
                output.append(escape)
                pendingStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        output.unicodeScalars.append(contentsOf: scalars[pendingStart..<scalars.endIndex])
        output.append("\"")
    }

    /// Returns `value` as a quoted JSON string.
    public static func quoted(_ value: String) -> String {
        var output = ""
        output.reserveCapacity(value.utf8.count + 2)
        appendQuoted(value, to: &output)
        return output
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
