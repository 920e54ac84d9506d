#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The listening socket systemd passed (`LISTEN_FDS`, a `.socket` unit), so
/// the port is open before the process starts and stays open across restarts.
public enum SocketActivation {
    /// The error when the passed sockets are not what the service can use.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The one inherited listening TCP socket, or nil when systemd passed none.
    ///
    /// Clears `LISTEN_FDS`/`LISTEN_PID` so child processes do not claim it.
    /// - Throws: ``Failure`` when more than one descriptor was passed, or the
    ///   one passed is not a listening stream socket.
    public static func inheritedListener() throws(Failure) -> CInt? {
        let count = try listenedDescriptors()
        guard count > 0 else { return nil }
        guard count == 1 else {
            throw Failure(description: "systemd passed \(count) sockets (LISTEN_FDS=\(count)); the service listens on exactly one: give its .socket unit one ListenStream=")
        }
        let descriptor = firstDescriptor
        guard isListeningStreamSocket(descriptor) else {
            throw Failure(description: "the socket systemd passed (fd \(descriptor)) is not a listening stream socket: use ListenStream= in the .socket unit")
        }
        return descriptor
    }

    /// `SD_LISTEN_FDS_START`: passed descriptors start after stdin, stdout and stderr.
    static let firstDescriptor: CInt = 3

    /// `sd_listen_fds(1)`: how many descriptors systemd passed to this
    /// process (`LISTEN_PID` must name it), each made close-on-exec; the
    /// variables are removed so child processes do not claim them.
    static func listenedDescriptors() throws(Failure) -> Int {
        defer {
            unsetenv("LISTEN_PID")
            unsetenv("LISTEN_FDS")
            unsetenv("LISTEN_FDNAMES")
        }
        guard let pidText = getenv("LISTEN_PID").map({ String(cString: $0) }) else { return 0 }
        guard let pid = Int32(pidText), pid > 0 else {
            throw Failure(description: "LISTEN_PID is set but unusable: '\(pidText)' is not a process ID")
        }
        // Meant for another process (a parent that did not clear it): not ours.
        guard pid == getpid() else { return 0 }
        let countText = getenv("LISTEN_FDS").map { String(cString: $0) } ?? ""
        guard let count = Int(countText), count >= 0, count <= 1024 else {
            throw Failure(description: "LISTEN_FDS is set but unusable: '\(countText)' is not a descriptor count")
        }
        for descriptor in firstDescriptor..<(firstDescriptor + CInt(count)) {
            let flags = fcntl(descriptor, F_GETFD)
            guard flags >= 0, fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) >= 0 else {
                throw Failure(description: "LISTEN_FDS=\(count), but fd \(descriptor) is not open: \(String(cString: strerror(errno)))")
            }
        }
        return count
    }

    /// `sd_is_socket(fd, AF_UNSPEC, SOCK_STREAM, 1)`: a stream socket that listens.
    static func isListeningStreamSocket(_ descriptor: CInt) -> Bool {
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFSOCK else { return false }
        var type: CInt = 0
        var accepting: CInt = 0
        var length = socklen_t(MemoryLayout<CInt>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_TYPE, &type, &length) == 0, type == CInt(SOCK_STREAM.rawValue) else { return false }
        length = socklen_t(MemoryLayout<CInt>.size)
        return getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0 && accepting != 0
    }
}
