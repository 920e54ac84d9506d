import Logging
import ServiceLifecycle
import Telemetry

/// The first step of a graceful shutdown: readiness fails at once (reason
/// `draining`) while everything keeps serving for `delay`, so load balancers
/// and kubelets stop sending traffic before the listener closes.
///
/// Run it last in the service group so graceful shutdown reaches it first;
/// when it returns, the ``ProbeServer`` quiesces.
public final class ShutdownDrain<C: Clock>: Service, Sendable where C.Duration == Duration {
    private let monitor: HealthMonitor
    private let lifecycle: SystemdLifecycle<C>?
    private let delay: Duration
    private let clock: C
    private let logger: Logger

    /// - Parameters:
    ///   - lifecycle: Hears `STOPPING=1`, when running under a service manager.
    ///   - delay: How long to keep serving with readiness failed (`drain.delay`).
    public init(monitor: HealthMonitor, lifecycle: SystemdLifecycle<C>?, delay: Duration, clock: C, logger: Logger) {
        self.monitor = monitor
        self.lifecycle = lifecycle
        self.delay = delay
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        // Throws only when cancelled, which is no graceful shutdown: nothing to drain.
        guard (try? await gracefulShutdown()) != nil else { return }
        lifecycle?.stopping()
        monitor.startDraining()
        logger.notice(
            "draining: readiness fails, still serving until the delay ends",
            metadata: [HealthLogEvent.metadataKey: "\(HealthLogEvent.draining.rawValue)", "delay": "\(ConfigValueParsers.format(delay))"]
        )
        // A second signal does not cut this short; the group's drain.timeout does (by cancelling).
        try? await clock.sleep(for: delay)
        logger.info("drain delay over: closing the listener")
    }
}
