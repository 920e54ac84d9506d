#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An `AF_UNIX` datagram socket that sends to one address: how systemd's
/// notification and journal protocols are spoken, without libsystemd.
///
/// Paths starting with `@` are in the abstract namespace, as
/// `NOTIFY_SOCKET` spells them. Safe to share: each send is one `sendmsg`.
final class UnixDatagramSocket: Sendable {
    /// Why a socket could not be used; `errno` when the kernel said so.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        var errno: Int32 = 0
    }

    let descriptor: Int32
    private let address: sockaddr_un
    private let addressLength: socklen_t

    /// Opens a datagram socket (close-on-exec) for sending to `path`.
    init(sendingTo path: String) throws(Failure) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity, abstract || bytes.first == UInt8(ascii: "/") else {
            throw Failure(description: "'\(path)' is not an absolute socket path or an @abstract name shorter than \(capacity) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { sunPath in
            sunPath.copyBytes(from: bytes)
        }
        // Abstract names are exactly as long as given; paths end at their NUL.
        let length = MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1)
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw Failure(description: "socket(AF_UNIX, SOCK_DGRAM): \(String(cString: strerror(errno)))", errno: errno)
        }
        self.descriptor = descriptor
        self.address = address
        self.addressLength = socklen_t(length)
    }

    deinit {
        close(descriptor)
    }

    /// Asks for a send buffer of `bytes`, so large datagrams fit (best effort).
    func growSendBuffer(to bytes: Int32) {
        var value = bytes
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Sends `payload` as one datagram, with `passing` as an `SCM_RIGHTS` file descriptor when given.
    func send(_ payload: UnsafeRawBufferPointer, passing passed: Int32? = nil) throws(Failure) {
        var address = self.address
        let result = withUnsafeMutablePointer(to: &address) { addressPointer -> Int in
            var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: payload.baseAddress), iov_len: payload.count)
            return withUnsafeMutablePointer(to: &vector) { vectorPointer -> Int in
                var message = msghdr()
                message.msg_name = UnsafeMutableRawPointer(addressPointer)
                message.msg_namelen = addressLength
                message.msg_iov = vectorPointer
                message.msg_iovlen = payload.count > 0 ? 1 : 0
                guard let passed else { return sendmsg(descriptor, &message, Int32(MSG_NOSIGNAL)) }
                // One cmsghdr carrying one int, laid out as CMSG_SPACE(sizeof(int)) bytes.
                let headerSize = Self.aligned(MemoryLayout<cmsghdr>.size)
                let space = headerSize + Self.aligned(MemoryLayout<Int32>.size)
                return withUnsafeTemporaryAllocation(byteCount: space, alignment: MemoryLayout<cmsghdr>.alignment) { control -> Int in
                    control.initializeMemory(as: UInt8.self, repeating: 0)
                    let header = control.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
                    header.pointee.cmsg_len = .init(headerSize + MemoryLayout<Int32>.size)
                    header.pointee.cmsg_level = SOL_SOCKET
                    header.pointee.cmsg_type = Int32(SCM_RIGHTS)
                    control.baseAddress!.advanced(by: headerSize).storeBytes(of: passed, as: Int32.self)
                    message.msg_control = control.baseAddress
                    message.msg_controllen = .init(space)
                    return sendmsg(descriptor, &message, Int32(MSG_NOSIGNAL))
                }
            }
        }
        guard result >= 0 else {
            let code = errno
            throw Failure(description: "sendmsg: \(String(cString: strerror(code)))", errno: code)
        }
    }

    private static func aligned(_ size: Int) -> Int {
        let alignment = MemoryLayout<Int>.size
        return (size + alignment - 1) & ~(alignment - 1)
    }
}
