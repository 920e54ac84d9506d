/// How the service writes its log: chosen by `--log-format` or `log.format`.
public enum LogFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// JSON lines on stderr (journald detection joins this choice with the journald handler).
    case auto
    /// One JSON object per line on stderr.
    case json
    /// `key=value` pairs per line on stderr, as logfmt readers expect.
    case logfmt

    public var description: String { rawValue }

    /// The concrete line format `auto` stands for in this environment.
    public var resolvedLineFormat: TextLogHandler.LineFormat {
        switch self {
        case .auto, .json: return .json
        case .logfmt: return .logfmt
        }
    }
}
