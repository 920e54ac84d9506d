import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Passes when the file system holding `path` has at least `minFree` bytes
/// available, and (if asked) a file can be created there. Runs on NIO's
/// blocking-I/O pool (``BlockingCallBatcher``): a hung mount never blocks a
/// loop, nor the other checks' calls.
public struct DiskCheck: HealthCheck {
    public let options: CheckKind.DiskOptions

    public init(options: CheckKind.DiskOptions) {
        self.options = options
    }

    public func run() async throws {
        let options = self.options
        let failure = try await BlockingCallBatcher.shared.run { () -> CheckFailure? in
            var stats = statvfs()
            guard statvfs(options.path, &stats) == 0 else {
                return CheckFailure(.error, "statvfs \(options.path): \(String(cString: strerror(errno)))")
            }
            let available = Int64(stats.f_bavail) * Int64(stats.f_frsize)
            if let minFree = options.minFree, available < minFree {
                return CheckFailure(.error, "\(options.path): \(available) bytes free, below minFree \(minFree)")
            }
            if options.writable {
                let probe = options.path + "/.health-exporter-write-probe-\(getpid())"
                let descriptor = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
                guard descriptor >= 0 else {
                    return CheckFailure(.error, "\(options.path) is not writable: \(String(cString: strerror(errno)))")
                }
                close(descriptor)
                unlink(probe)
            }
            return nil
        }
        if let failure { throw failure }
    }
}
