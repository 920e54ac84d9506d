import Logging
import NIOCore
import ServiceLifecycle
import Testing

@testable import HealthExporter

/// Runs a real ``ProbeServer`` on a free loopback port inside a `ServiceGroup`
/// for the duration of `body`, then shuts it down gracefully.
enum RunningServer {
    struct Timeout: Error {}

    static func with<Result>(
        monitor: HealthMonitor = TestFixtures.monitor(),
        configuration: ProbeServer.Configuration = .init(listen: ListenAddress(host: "127.0.0.1", port: 0), admin: .init(enabled: true)),
        alongside others: [any Service] = [],
        _ body: (_ port: Int, _ group: ServiceGroup) async throws -> Result
    ) async throws -> Result {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let server = ProbeServer(configuration: configuration, monitor: monitor, logger: logger) { address in
            portContinuation.yield(address.port ?? 0)
            portContinuation.finish()
        }
        let group = ServiceGroup(services: others + [server], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw Timeout() }
            do {
                let result = try await body(port, group)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
