import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CheckFailure {
    /// Maps any error a check throws to the vocabulary; `target` names what was
    /// being reached, for the message. Unknown errors become `error`, with their
    /// type name rather than their text, which might carry a secret.
    public static func classify(_ error: any Error, target: String) -> CheckFailure {
        if let failure = error as? CheckFailure { return failure }
        if let connection = error as? NIOConnectionError {
            if connection.connectionErrors.isEmpty, connection.dnsAError != nil || connection.dnsAAAAError != nil {
                return CheckFailure(.dns, "\(target): name does not resolve")
            }
            if let first = connection.connectionErrors.first {
                return classify(first.error, target: target)
            }
            return CheckFailure(.refused, "\(target): no address could be connected")
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return CheckFailure(.timeout, "\(target): connect timed out")
        }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return CheckFailure(.refused, "\(target): connection refused")
            case ETIMEDOUT: return CheckFailure(.timeout, "\(target): connection timed out")
            case EHOSTUNREACH, ENETUNREACH: return CheckFailure(.refused, "\(target): host unreachable")
            case ECONNRESET, EPIPE: return CheckFailure(.protocol, "\(target): connection reset")
            default: return CheckFailure(.error, "\(target): \(String(cString: strerror(io.errnoCode)))")
            }
        }
        if error is SocketAddressError {
            return CheckFailure(.dns, "\(target): name does not resolve")
        }
        if error is CancellationError {
            return CheckFailure(.timeout, "\(target): cancelled")
        }
        return CheckFailure(.error, "\(target): \(type(of: error))")
    }
}
