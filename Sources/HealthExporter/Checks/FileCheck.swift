import NIOPosix
import Telemetry

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Passes when `path` exists and, if `maxAge` is set, was modified within it
/// (a heartbeat file written by a batch job, a certificate renewed by an agent).
public struct FileCheck: HealthCheck {
    public let options: CheckKind.FileOptions
    let now: @Sendable () -> Double

    public init(options: CheckKind.FileOptions, now: @escaping @Sendable () -> Double = { Double(time(nil)) }) {
        self.options = options
        self.now = now
    }

    public func run() async throws {
        let options = self.options
        let now = self.now
        let failure = try await BlockingCallBatcher.shared.run { () -> CheckFailure? in
            var status = stat()
            guard stat(options.path, &status) == 0 else {
                return CheckFailure(.error, "\(options.path): \(String(cString: strerror(errno)))")
            }
            if let maxAge = options.maxAge {
                let age = now() - Double(status.st_mtim.tv_sec)
                if age > maxAge.inSeconds {
                    return CheckFailure(.stale, "\(options.path) last modified \(Int(age))s ago, older than maxAge \(ConfigValueParsers.format(maxAge))")
                }
            }
            return nil
        }
        if let failure { throw failure }
    }
}
