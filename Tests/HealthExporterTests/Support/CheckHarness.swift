import Logging
import ServiceLifecycle

@testable import HealthExporter

/// The checks of a configuration run for real: the factory builds them, the
/// scheduler runs them on the real clock, the monitor judges them, until
/// `body` returns; then a graceful shutdown, as the service does.
enum CheckHarness {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func run(_ configs: [CheckConfig], _ body: (HealthMonitor) async throws -> Void) async throws {
        let monitor = HealthMonitor(checks: configs, logger: logger)
        let factory = CheckFactory(configs: configs, logger: logger)
        let scheduler = CheckScheduler(checks: factory.checks, monitor: monitor, clock: ContinuousClock(), logger: logger)
        let group = ServiceGroup(services: [factory, scheduler], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(monitor)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Every check's state on one line, for a failure message.
    static func describe(_ snapshot: HealthSnapshot) -> String {
        snapshot.checks.map { "\($0.name): \($0.status) \($0.reason?.rawValue ?? "") \($0.output ?? "")" }.joined(separator: "; ")
    }
}
