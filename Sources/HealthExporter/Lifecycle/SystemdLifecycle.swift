import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import Telemetry

/// Keeps the service manager told: `READY=1` and `STATUS=` as health
/// changes, `WATCHDOG=1` while liveness passes, `STOPPING=1`, and the
/// `RELOADING=1` … `READY=1` bracket of a reload.
///
/// Run it first in the service group so it stops last: the watchdog keeps
/// beating through the drain. With no service manager (``SystemdNotifier``
/// without `NOTIFY_SOCKET`) every message is a no-op and no watchdog runs.
public final class SystemdLifecycle<C: Clock>: Service, Sendable where C.Duration == Duration {
    private let notifier: any Notifier
    private let monitor: HealthMonitor
    private let clock: C
    private let logger: Logger
    // Guards the READY/STATUS rules; held only to compute and send one message, in order.
    private let notifications: NIOLockedValueBox<ReadinessNotifications>

    /// Starts following `monitor` at once, so no transition is missed.
    public init(
        notifier: any Notifier,
        monitor: HealthMonitor,
        readyWhen: HealthExporterConfig.Notify.ReadyWhen,
        clock: C,
        logger: Logger
    ) {
        self.notifier = notifier
        self.monitor = monitor
        self.clock = clock
        self.logger = logger
        let notifications = NIOLockedValueBox(ReadinessNotifications(readyWhen: readyWhen))
        self.notifications = notifications
        monitor.onSnapshot { snapshot in
            notifications.withLockedValue { rules in
                if let message = rules.observe(snapshot) { notifier.notify(message) }
            }
        }
    }

    /// The probe server is bound (``ProbeServer``'s `onListening`).
    public func serverListening() {
        let snapshot = monitor.snapshot
        send { $0.serverListening(snapshot) }
    }

    /// Shutdown began: `STOPPING=1`.
    public func stopping() {
        notifier.notify(.stopping)
    }

    /// A reload began: `RELOADING=1` with `MONOTONIC_USEC`.
    public func reloading() {
        notifier.notify(.reloadingNow())
    }

    /// A reload ended: `READY=1` and the status. `note` (why the reload was
    /// refused, or what needs a restart) stays on the status line until the next reload.
    public func reloadFinished(note: String? = nil) {
        let snapshot = monitor.snapshot
        send { $0.reloadFinished(snapshot, note: note) }
    }

    /// Sends `WATCHDOG=1` every ``Notifier/watchdogInterval`` while liveness
    /// passes, until graceful shutdown reaches this service.
    public func run() async throws {
        guard let interval = notifier.watchdogInterval else {
            try? await gracefulShutdown()
            return
        }
        logger.info("systemd watchdog armed", metadata: ["interval_ms": "\(interval.milliseconds)"])
        let notifier = self.notifier
        let monitor = self.monitor
        let clock = self.clock
        await cancelWhenGracefulShutdown {
            var beating = true
            while !Task.isCancelled {
                let live = monitor.snapshot.verdict(for: .liveness).status.isHealthy
                if live { notifier.notify(.watchdog) }
                if live != beating {
                    beating = live
                    self.logger.log(
                        level: live ? .notice : .error,
                        live ? "watchdog resumed: liveness passes again" : "watchdog withheld: liveness fails, systemd will restart the service")
                }
                guard (try? await clock.sleep(for: interval)) != nil else { return }
            }
        }
    }

    private func send(_ rule: (inout ReadinessNotifications) -> NotifyMessage?) {
        notifications.withLockedValue { rules in
            if let message = rule(&rules) { notifier.notify(message) }
        }
    }
}

extension SystemdLifecycle: CustomStringConvertible {
    /// The name ServiceLifecycle logs it under (a plain string: describing
    /// the instance by reflection costs start-up time).
    public var description: String { "systemd lifecycle" }
}
