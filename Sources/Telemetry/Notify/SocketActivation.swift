import CSystemd

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
        let count = sd_listen_fds(1)
        guard count >= 0 else {
            throw Failure(description: "LISTEN_FDS is set but unusable: \(String(cString: strerror(-count)))")
        }
        guard count > 0 else { return nil }
        guard count == 1 else {
            throw Failure(description: "systemd passed \(count) sockets (LISTEN_FDS=\(count)); the service listens on exactly one: give its .socket unit one ListenStream=")
        }
        let descriptor = SD_LISTEN_FDS_START
        guard sd_is_socket(descriptor, AF_UNSPEC, CInt(SOCK_STREAM.rawValue), 1) > 0 else {
            throw Failure(description: "the socket systemd passed (fd \(descriptor)) is not a listening stream socket: use ListenStream= in the .socket unit")
        }
        return descriptor
    }
}
