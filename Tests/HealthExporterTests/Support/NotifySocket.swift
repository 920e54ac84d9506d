#if canImport(Glibc)
import Glibc
#endif

/// A `NOTIFY_SOCKET` of our own: a Unix datagram socket that receives what
/// `sd_notify(3)` sends, as systemd's would.
final class NotifySocket {
    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    let path: String
    private let descriptor: CInt

    init() throws {
        path = "/tmp/health-exporter-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        descriptor = socket(AF_UNIX, CInt(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failed(description: "socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw Failed(description: "bind \(path): errno \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// The next datagram as `KEY=VALUE` pairs, or nil when none came in time.
    func receive(within seconds: Double) -> [String: String]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            var fields: [String: String] = [:]
            for line in String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1)
                fields[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            return fields
        }
        return nil
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
