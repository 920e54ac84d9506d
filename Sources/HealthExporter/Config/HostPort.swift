/// A `host:port`, as written for a dependency (`address: 127.0.0.1:6379`)
/// or the listening socket (``ListenAddress``).
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    /// An IP address or host name (`127.0.0.1`, `::1`, `db.internal`).
    public var host: String
    /// The TCP port.
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` or `[v6]:port`; `nil` when malformed.
    public init?(parsing text: String) {
        let trimmed = text.trimmingSpaces()
        let hostPart: Substring
        let portPart: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { return nil }
            hostPart = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let afterClose = trimmed[trimmed.index(after: close)...]
            guard afterClose.hasPrefix(":") else { return nil }
            portPart = afterClose.dropFirst()
        } else {
            guard let colon = trimmed.lastIndex(of: ":") else { return nil }
            hostPart = trimmed[..<colon]
            portPart = trimmed[trimmed.index(after: colon)...]
            if hostPart.contains(":") { return nil }  // bare IPv6 needs brackets
        }
        guard !hostPart.isEmpty, !hostPart.contains(where: \.isWhitespace),
            let port = Int(portPart), (0...65535).contains(port)
        else { return nil }
        self.init(host: String(hostPart), port: port)
    }

    /// True when `host` names this machine only: `localhost`, 127.0.0.0/8,
    /// `::1`, or 127/8 mapped into IPv6. The one loopback rule, for listeners
    /// and peers alike.
    public static func isLoopback(host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.") || host.hasPrefix("::ffff:127.")
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
