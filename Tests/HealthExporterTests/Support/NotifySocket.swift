import TestSupport

/// A `NOTIFY_SOCKET` of our own: a Unix datagram socket that receives what
/// `sd_notify(3)` sends, as systemd's would.
final class NotifySocket {
    private let receiver: UnixDatagramReceiver

    var path: String { receiver.name }

    init() throws {
        receiver = try UnixDatagramReceiver()
    }

    /// The next datagram as `KEY=VALUE` pairs, or nil when none came in time.
    func receive(within seconds: Double) -> [String: String]? {
        guard let bytes = receiver.receive(within: seconds) else { return nil }
        var fields: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            fields[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return fields
    }

    /// Datagrams until one sets `key` (returned with everything before it), or nil on timeout.
    func waitFor(_ key: String, within seconds: Double) -> (message: [String: String], before: [[String: String]])? {
        var before: [[String: String]] = []
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            guard let message = receive(within: 0.2) else { continue }
            if message[key] != nil { return (message, before) }
            before.append(message)
        }
        return nil
    }
}
