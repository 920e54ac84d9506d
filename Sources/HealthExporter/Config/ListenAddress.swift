/// A `host:port` the probe server binds, as written in `listen:`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IP address or host name (`127.0.0.1`, `::1`, `0.0.0.0`, `localhost`).
    public var host: String
    /// The TCP port; 0 asks the kernel for a free one (tests).
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

    /// True when only this machine can reach the address: the admin routes
    /// then need no token.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
