import Logging

/// A swift-log handler that writes one structured line per event: JSON lines
/// or logfmt, to a ``LogLineSink`` (standard error by default).
///
/// Level and metadata are values: changing them on one `Logger` copy never
/// affects another. Metadata merges in swift-log's order (handler, then
/// provider, then call site; later wins) and nested values are flattened to
/// dotted keys, so every line stays one flat object a log shipper can index.
public struct TextLogHandler: LogHandler {
    /// The two line shapes this handler writes.
    public enum LineFormat: String, Sendable {
        case json
        case logfmt
    }

    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    public var metadata: Logger.Metadata {
        didSet { flattenedHandlerMetadata = Self.flatten(metadata) }
    }

    private let label: String
    private let format: LineFormat
    private let sink: any LogLineSink
    private let clock: @Sendable () -> WallClockTimestamp
    // Handler metadata is flattened once when it changes, not on every event.
    private var flattenedHandlerMetadata: [(String, String)] = []

    /// Creates a handler.
    /// - Parameters:
    ///   - label: The logger's label, written as `logger`.
    ///   - format: JSON lines or logfmt.
    ///   - level: The lowest level written.
    ///   - sink: Where lines go; standard error unless a test captures them.
    ///   - metadataProvider: Contextual metadata added to every event.
    ///   - clock: The wall clock for the `ts` field (tests pin it).
    public init(
        label: String,
        format: LineFormat,
        level: Logger.Level = .info,
        sink: any LogLineSink = StandardErrorLogSink(),
        metadataProvider: Logger.MetadataProvider? = nil,
        clock: @escaping @Sendable () -> WallClockTimestamp = { .now() }
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
        self.metadataProvider = metadataProvider
        self.clock = clock
        self.metadata = [:]
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("ts", clock().rfc3339),
            ("level", event.level.rawValue),
            ("msg", event.message.description),
            ("logger", label),
        ]
        var extra = flattenedHandlerMetadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            extra = Self.merge(extra, Self.flatten(provided))
        }
        if let callSite = event.metadata, !callSite.isEmpty {
            extra = Self.merge(extra, Self.flatten(callSite))
        }
        if let error = event.error {
            extra = Self.merge(extra, [("error", String(describing: error))])
        }
        fields.append(contentsOf: extra.filter { key, _ in !Self.reservedKeys.contains(key) })
        sink.write(line: format == .json ? Self.jsonLine(fields) : Self.logfmtLine(fields))
    }

    private static let reservedKeys: Set<String> = ["ts", "level", "msg", "logger"]

    static func flatten(_ metadata: Logger.Metadata, prefix: String = "") -> [(String, String)] {
        var result: [(String, String)] = []
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            let name = prefix.isEmpty ? key : prefix + "." + key
            switch value {
            case .dictionary(let nested):
                result.append(contentsOf: flatten(nested, prefix: name))
            default:
                result.append((name, value.description))
            }
        }
        return result
    }

    private static func merge(_ base: [(String, String)], _ overrides: [(String, String)]) -> [(String, String)] {
        let overridden = Set(overrides.map(\.0))
        return base.filter { !overridden.contains($0.0) } + overrides
    }

    private static func jsonLine(_ fields: [(String, String)]) -> String {
        var line = "{"
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { line.append(",") }
            JSONText.appendQuoted(key, to: &line)
            line.append(":")
            JSONText.appendQuoted(value, to: &line)
        }
        line.append("}")
        return line
    }

    private static func logfmtLine(_ fields: [(String, String)]) -> String {
        var line = ""
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { line.append(" ") }
            line.append(logfmtKey(key))
            line.append("=")
            line.append(logfmtValue(value))
        }
        return line
    }

    private static func logfmtKey(_ key: String) -> String {
        let cleaned = key.unicodeScalars.map { scalar -> Character in
            scalar == " " || scalar == "=" || scalar == "\"" || scalar.value < 0x20 ? "_" : Character(scalar)
        }
        return cleaned.isEmpty ? "_" : String(cleaned)
    }

    private static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "=" || scalar == "\"" || scalar == "\\" || scalar.value < 0x20
        }
        // JSON string escaping is a valid logfmt quoted value.
        return needsQuotes ? JSONText.quoted(value) : value
    }
}
