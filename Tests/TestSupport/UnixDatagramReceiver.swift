#if canImport(Glibc)
import Glibc
#endif

/// A bound Unix datagram socket that receives what the service sends, as
/// systemd's notification and journal sockets would: at a path under /tmp,
/// or at an abstract name (`@...`, as `NOTIFY_SOCKET` spells it).
public final class UnixDatagramReceiver {
    public struct Failed: Error, CustomStringConvertible {
        public let description: String
    }

    /// The address to give the sender: a path, or `@name` when abstract.
    public let name: String
    private let descriptor: CInt

    public init(abstract: Bool = false) throws {
        let unique = "health-exporter-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        name = abstract ? "@\(unique)" : "/tmp/\(unique).sock"
        descriptor = socket(AF_UNIX, CInt(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failed(description: "socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        // Abstract names are exactly as long as given; paths end at their NUL.
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else {
            close(descriptor)
            throw Failed(description: "bind \(name): errno \(errno)")
        }
    }

    deinit {
        close(descriptor)
        if !name.hasPrefix("@") { unlink(name) }
    }

    /// The next datagram's bytes, or nil when none came within `seconds`.
    public func receive(within seconds: Double) -> [UInt8]? {
        // A zero timeval would mean "wait forever": never less than 1 ms.
        let microseconds = max(1000, Int(seconds * 1_000_000))
        var timeout = timeval(tv_sec: microseconds / 1_000_000, tv_usec: microseconds % 1_000_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        repeat {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count >= 0 { return Array(buffer[0..<count]) }
            guard errno == EINTR else { return nil }
        } while ContinuousClock.now < deadline
        return nil
    }
}
