import Atomics
import Logging

/// A swift-log handler that writes native journald entries: `MESSAGE`,
/// `PRIORITY`, `SYSLOG_IDENTIFIER`, `CODE_FILE`/`CODE_LINE`/`CODE_FUNC`, a
/// stable `MESSAGE_ID` for state-change events (``HealthLogEvent``), and every
/// metadata key as an upper-case field (`check` → `CHECK`).
///
/// An entry journald refuses is written to stderr as a JSON line instead, and
/// counted in ``failedSends``, so nothing is lost silently.
public struct JournaldLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    public var metadata: Logger.Metadata = [:]

    private let label: String
    private let identifier: String
    private let sink: any JournalSink
    private let fallback: TextLogHandler
    private let failures: ManagedAtomic<Int>

    /// - Parameters:
    ///   - label: The logger's label, sent as `LOGGER`.
    ///   - identifier: `SYSLOG_IDENTIFIER`, what `journalctl -t` filters on.
    ///   - level: The lowest level sent.
    ///   - sink: journald itself unless a test captures entries.
    public init(
        label: String,
        identifier: String = "health-exporter",
        level: Logger.Level = .info,
        sink: any JournalSink = SystemdJournalSink(),
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.identifier = identifier
        self.logLevel = level
        self.sink = sink
        self.metadataProvider = metadataProvider
        self.fallback = TextLogHandler(label: label, format: .json, level: level)
        self.failures = ManagedAtomic(0)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Entries journald refused (and that went to stderr instead).
    public var failedSends: Int {
        failures.load(ordering: .relaxed)
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let callSite = event.metadata { merged.merge(callSite) { _, new in new } }

        var fields = [
            JournalField("MESSAGE", event.message.description),
            JournalField("PRIORITY", String(Self.priority(event.level))),
            JournalField("SYSLOG_IDENTIFIER", identifier),
            JournalField("CODE_FILE", event.file),
            JournalField("CODE_LINE", String(event.line)),
            JournalField("CODE_FUNC", event.function),
            JournalField("LOGGER", label),
        ]
        if case .string(let kind) = merged[HealthLogEvent.metadataKey], let known = HealthLogEvent(rawValue: kind) {
            fields.append(JournalField("MESSAGE_ID", known.messageID))
        }
        if let error = event.error {
            fields.append(JournalField("ERROR", String(describing: error)))
        }
        let reserved = Set(fields.map(\.name))
        for (key, value) in TextLogHandler.flatten(merged) {
            let name = Self.fieldName(key)
            guard !reserved.contains(name) else { continue }
            fields.append(JournalField(name, value))
        }
        if !sink.send(fields) {
            failures.wrappingIncrement(ordering: .relaxed)
            fallback.log(event: event)
        }
    }

    /// syslog priorities, as journald stores them.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// A metadata key as a journald field name: upper-case `A–Z 0–9 _`, never
    /// starting with `_` (those are journald's trusted fields) or a digit, at
    /// most 64 characters.
    static func fieldName(_ key: String) -> String {
        var name = String(
            key.uppercased().unicodeScalars.map { scalar -> Character in
                ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
            })
        while name.hasPrefix("_") { name.removeFirst() }
        if name.isEmpty || name.first!.isNumber { name = "F_" + name }
        return String(name.prefix(64))
    }
}
