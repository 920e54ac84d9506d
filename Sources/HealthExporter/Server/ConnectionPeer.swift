import NIOCore

/// Who is on the other end of a connection, and where it came in: noted once
/// per connection, carried into every ``ProbeRequest`` on it.
public struct ConnectionPeer: Sendable, Equatable {
    /// The peer's IP address (no port), for logs.
    public var address: String?
    /// The peer connects from this machine.
    public var isLoopback: Bool
    /// The listening socket is bound to a loopback address, so nobody off
    /// this machine can connect at all.
    public var listenerIsLoopback: Bool

    public init(address: String?, isLoopback: Bool, listenerIsLoopback: Bool) {
        self.address = address
        self.isLoopback = isLoopback
        self.listenerIsLoopback = listenerIsLoopback
    }

    /// A peer seen by another server (a framework adapter): `remote` is the
    /// client's address; unknown counts as not loopback (the safe side).
    public init(remote: SocketAddress?, listenerIsLoopback: Bool) {
        self.init(address: remote?.ipAddress, isLoopback: Self.isLoopback(remote), listenerIsLoopback: listenerIsLoopback)
    }

    /// Reads both ends of an accepted connection; unknown addresses count as
    /// not loopback (the safe side).
    public init(channel: any Channel) {
        let remote = channel.remoteAddress
        self.init(
            address: remote?.ipAddress,
            isLoopback: Self.isLoopback(remote),
            listenerIsLoopback: Self.isLoopback(channel.parent?.localAddress)
        )
    }

    /// Loopback by ``HostPort/isLoopback(host:)``, the one rule; a Unix socket is local too.
    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let address else { return false }
        switch address {
        case .unixDomainSocket: return true
        case .v4, .v6: return address.ipAddress.map(HostPort.isLoopback(host:)) ?? false
        }
    }
}
