/// The kinds of log entry that mark a state change. Each has a stable journald
/// `MESSAGE_ID`, so `journalctl MESSAGE_ID=…` finds every occurrence across
/// versions; log them with metadata `event: <rawValue>`.
public enum HealthLogEvent: String, Sendable, CaseIterable {
    case checkUp = "check_up"
    case checkDown = "check_down"
    case ready
    case notReady = "not_ready"
    case draining
    case reloadSucceeded = "reload_ok"
    case reloadFailed = "reload_failed"
    case adminRefused = "admin_refused"

    /// The metadata key that carries the event kind.
    public static let metadataKey = "event"

    /// A 128-bit id, as `journalctl --new-id128` prints it. Never change one.
    public var messageID: String {
        switch self {
        case .checkUp: return "897e2945880a4941bfa8bed4d5f204e5"
        case .checkDown: return "1d769764118048bdba2b7db5aefd5e5a"
        case .ready: return "81387251cf0b4e4ebee833e47ea79c94"
        case .notReady: return "cbdb97649aff44109dbaa6c5fa125de9"
        case .draining: return "4bfdb62e25cc4c818d94b25771e262b3"
        case .reloadSucceeded: return "9332e4b7a2fd4bf9abfab21c2d055ff0"
        case .reloadFailed: return "3524f00c32f44173a03ec33efb5cbc43"
        case .adminRefused: return "03d65a07fec345538012be5567740758"
        }
    }
}
