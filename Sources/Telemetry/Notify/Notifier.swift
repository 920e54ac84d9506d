/// Tells the service manager about start-up, status, liveness and shutdown.
///
/// ``SystemdNotifier`` speaks `sd_notify(3)`; `InMemoryNotifier` (in `TelemetryTesting`) records
/// messages for tests. Implementations must be quick and must not throw: a
/// service manager that is not listening is not the service's problem.
public protocol Notifier: Sendable {
    /// Sends `message`, or does nothing when no manager listens.
    func notify(_ message: NotifyMessage)

    /// How often to send ``NotifyMessage/watchdog``, or nil when no watchdog
    /// is armed. systemd's `WatchdogSec=` halved, as `sd_watchdog_enabled(3)` advises.
    var watchdogInterval: Duration? { get }
}
