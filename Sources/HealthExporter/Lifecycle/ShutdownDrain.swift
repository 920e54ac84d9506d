import Logging
import ServiceLifecycle
import Telemetry
import UnixSignals

/// The first step of a graceful shutdown: readiness fails at once (reason
/// `draining`) while everything keeps serving for `delay`, so load balancers
/// and kubelets stop sending traffic before the listener closes.
///
/// Run it last in the service group so graceful shutdown reaches it first;
/// when it returns, the ``ProbeServer`` quiesces. A second SIGTERM or SIGINT
/// during the delay (an impatient Ctrl-C) ends the delay early.
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
        // Trapped before the "draining" entry, so a signal sent after seeing it always counts.
        let hurry = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        monitor.startDraining()
        lifecycle?.stopping()
        logger.notice(
            "draining: readiness fails, still serving until the delay ends (signal again to end it now)",
            metadata: [HealthLogEvent.metadataKey: "\(HealthLogEvent.draining.rawValue)", "delay": "\(ConfigValueParsers.format(delay))"]
        )
        let clock = self.clock
        let delay = self.delay
        let cutShort = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await clock.sleep(for: delay)
                return false
            }
            group.addTask {
                for await _ in hurry { return true }
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        logger.info(cutShort ? "second signal: ending the drain delay early, closing the listener" : "drain delay over: closing the listener")
    }
}

extension ShutdownDrain: CustomStringConvertible {
    /// The name ServiceLifecycle logs it under (a plain string: describing
    /// the instance by reflection costs start-up time).
    public var description: String { "shutdown drain" }
}
