import NIOCore
import NIOPosix

/// Passes when a TCP connection to `address` opens within the timeout.
public struct TCPCheck: HealthCheck {
    public let address: HostPort
    let timeout: Duration
    let group: any EventLoopGroup

    /// - Parameter timeout: The connect timeout; equal to the check's, so a
    ///   cancelled run never lingers past it.
    public init(address: HostPort, timeout: Duration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.address = address
        self.timeout = timeout
        self.group = group
    }

    public func run() async throws {
        let target = "connect to \(address)"
        do {
            let channel = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(timeout))
                .connect(host: address.host, port: address.port)
                .get()
            try? await channel.close()
        } catch {
            throw CheckFailure.classify(error, target: target)
        }
    }
}
