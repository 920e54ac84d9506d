import Logging

/// How the service writes its log: chosen by `--log-format` or `log.format`.
public enum LogFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// journald when stderr is connected to the journal (`JOURNAL_STREAM`), JSON lines otherwise.
    case auto
    /// Native journald entries with structured fields.
    case journald
    /// One JSON object per line on stderr.
    case json
    /// `key=value` pairs per line on stderr, as logfmt readers expect.
    case logfmt

    public var description: String { rawValue }

    /// The concrete format `auto` stands for in this environment.
    public func resolved(environment: [String: String]) -> LogFormat {
        guard self == .auto else { return self }
        return SystemdJournalSink.isStandardErrorJournal(environment: environment) ? .journald : .json
    }

    /// A handler writing this format (after resolving `auto`).
    public func makeHandler(label: String, level: Logger.Level, environment: [String: String]) -> any LogHandler {
        switch resolved(environment: environment) {
        case .journald: return JournaldLogHandler(label: label, level: level)
        case .logfmt: return TextLogHandler(label: label, format: .logfmt, level: level)
        case .auto, .json: return TextLogHandler(label: label, format: .json, level: level)
        }
    }
}
