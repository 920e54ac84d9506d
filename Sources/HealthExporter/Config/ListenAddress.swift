/// The `host:port` the probe server binds, as written in `listen:`.
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
        guard let parsed = HostPort(parsing: text) else { return nil }
        self.init(host: parsed.host, port: parsed.port)
    }

    /// True when only this machine can reach the address: the admin routes
    /// then need no token.
    public var isLoopback: Bool {
        HostPort.isLoopback(host: host)
    }

    public var description: String {
        HostPort(host: host, port: port).description
    }
}
