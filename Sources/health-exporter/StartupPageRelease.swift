import Logging
import NIOCore
import NIOPosix
import Telemetry

/// Releases the read-only pages start-up touched (``ReadOnlyPages``) once
/// the process has settled: of 29 MB resident after a probe load, 12 MB
/// were code and tables that serving does not use (`bench/RESULTS.md`).
enum StartupPageRelease {
    /// Releases them `delay` from now (never for zero), and logs the resident set before and after.
    static func schedule(after delay: Duration, logger: Logger) {
        guard delay > .zero else { return }
        MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: TimeAmount(delay)) {
            let before = ProcessMetrics.residentBytes()
            do {
                try ReadOnlyPages.release()
                let after = ProcessMetrics.residentBytes()
                logger.info(
                    "start-up pages released",
                    metadata: ["rss_before_kB": "\(before.map { $0 / 1024 } ?? 0)", "rss_after_kB": "\(after.map { $0 / 1024 } ?? 0)"])
            } catch {
                logger.warning("start-up pages kept", metadata: ["error": "\(error)"])
            }
        }
    }
}
