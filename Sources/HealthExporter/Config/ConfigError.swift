/// A configuration that cannot be used, with where and why.
///
/// The description is one line a person can act on:
/// `app.yaml:14:15: checks[1] "cache": interval "10" is not a duration (write it with a unit: 500ms, 2s, 1m)`.
/// Secrets never reach it: values are quoted only for keys that cannot hold one.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable category; new codes may be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unreadable
            case invalidYAML
            case wrongType
            case unknownKey
            case missingKey
            case invalidValue
            case duplicateName
            case unsupportedKind
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The file could not be read.
        public static let unreadable = Code(.unreadable)
        /// The text is not well-formed YAML.
        public static let invalidYAML = Code(.invalidYAML)
        /// A value has the wrong shape (a list where a mapping belongs, …).
        public static let wrongType = Code(.wrongType)
        /// A key the configuration does not know (often a typo).
        public static let unknownKey = Code(.unknownKey)
        /// A required key is absent.
        public static let missingKey = Code(.missingKey)
        /// A value is out of range or malformed.
        public static let invalidValue = Code(.invalidValue)
        /// Two checks share a name.
        public static let duplicateName = Code(.duplicateName)
        /// A check kind this build does not implement.
        public static let unsupportedKind = Code(.unsupportedKind)

        public var description: String { base.rawValue }
    }

    /// What went wrong, as a category.
    public let code: Code
    /// The human explanation, naming the key path and the offending value.
    public let message: String
    /// The configuration's origin: a file path or `<built-in demo>`.
    public let source: String
    /// 1-based line and column of the offending node, when known.
    public let line: Int?
    public let column: Int?

    /// Control characters in `message` and `source` (a newline from a parser's
    /// own text, a byte from the file itself) are shown escaped, so the
    /// description stays one line: `check-config` output, one log entry, and
    /// the systemd `STATUS=` line of a refused reload all depend on it.
    public init(code: Code, message: String, source: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = Self.oneLine(message)
        self.source = Self.oneLine(source)
        self.line = line
        self.column = column
    }

    private static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.properties.generalCategory == .control:
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    public var description: String {
        var location = source
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(message)"
    }
}
