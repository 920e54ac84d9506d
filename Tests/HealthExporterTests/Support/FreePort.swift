import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A loopback TCP port for a server a test starts on a port of its choosing
/// (redis-server, postgres, prometheus, Python's servers), or for a port that
/// must stay closed.
///
/// Ports come from below the kernel's ephemeral range
/// (`net.ipv4.ip_local_port_range`), so no outgoing connection and no
/// `bind(0)` listener elsewhere in the test run can take a port between the
/// moment it is found and the moment the server binds it; and none is handed
/// out twice in one test process, so two servers started in parallel never
/// race for the same one. (Binding 0, closing and handing the port on, as this
/// once did, lost that race in CI: a "closed" port and a server's port
/// collided.)
enum FreePort {
    struct Exhausted: Error, CustomStringConvertible {
        let description = "no free loopback port below the ephemeral range"
    }

    private static let handedOut = NIOLockedValueBox(Set<Int>())

    static func find() async throws -> Int {
        let range = 10_000..<max(10_001, ephemeralRangeStart())
        for _ in 0..<200 {
            let port = Int.random(in: range)
            let fresh = handedOut.withLockedValue { ports in ports.insert(port).inserted }
            guard fresh else { continue }
            // Something outside this process may hold it: check by binding.
            if let channel = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: port).get()
            {
                try? await channel.close()
                return port
            }
        }
        throw Exhausted()
    }

    private static func ephemeralRangeStart() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
    }
}
