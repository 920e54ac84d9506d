import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Passes when `host` resolves to at least one address (getaddrinfo, on NIO's
/// blocking-I/O thread pool so no event loop or task thread blocks).
public struct DNSCheck: HealthCheck {
    public let host: String

    public init(host: String) {
        self.host = host
    }

    public func run() async throws {
        let host = self.host
        let status = try await NIOThreadPool.singleton.runIfActive { () -> Int32 in
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, nil, &hints, &result)
            if let result { freeaddrinfo(result) }
            return status
        }
        guard status == 0 else {
            throw CheckFailure(.dns, "resolve \(host): \(String(cString: gai_strerror(status)))")
        }
    }
}
