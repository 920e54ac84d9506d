import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Runs every check on its own interval, concurrently, in the background;
/// probes only ever read the results.
///
/// - Each check has one loop: run, record, sleep `interval` (plus up to 10%
///   jitter, so checks of many pods do not hit a dependency in step). A run is
///   never started while the previous one is still in flight (single-flight).
/// - A run that exceeds `timeout` is recorded as `timeout` the moment the
///   timeout fires, and cancelled.
/// - A heartbeat loop beats every second; a staleness sweep runs on a NIO
///   timer, outside Swift's task pool, so a wedged pool still fails liveness.
/// - ``apply(_:started:)`` (a reload) stops the loops of removed and changed
///   checks, waits for their in-flight runs, and starts the new ones; loops
///   of unchanged checks run on undisturbed.
///
/// Generic over `Clock` so tests drive time by hand.
public final class CheckScheduler<C: Clock>: Service, Sendable where C.Duration == Duration {
    private let initialChecks: [(config: CheckConfig, check: any HealthCheck)]
    private let loops = CheckLoops()
    private let monitor: HealthMonitor
    private let clock: C
    private let jitter: @Sendable (Duration) -> Duration
    private let heartbeatInterval: Duration
    private let sweepLoop: (any EventLoop)?
    private let logger: Logger

    /// - Parameters:
    ///   - checks: The runnable checks (``CheckFactory/checks``, or your own).
    ///   - monitor: Receives every result.
    ///   - clock: Time for intervals, timeouts and durations.
    ///   - jitter: A random delay up to the given bound (tests pass `{ _ in .zero }`).
    ///   - heartbeatInterval: How often to call ``HealthMonitor/beat()``.
    ///   - sweepLoop: The event loop for the staleness sweep; nil to leave sweeping to the caller.
    public init(
        checks: [(config: CheckConfig, check: any HealthCheck)],
        monitor: HealthMonitor,
        clock: C,
        jitter: @escaping @Sendable (Duration) -> Duration = CheckScheduler.randomJitter,
        heartbeatInterval: Duration = .seconds(1),
        sweepLoop: (any EventLoop)? = MultiThreadedEventLoopGroup.singleton.next(),
        logger: Logger
    ) {
        self.initialChecks = checks
        self.monitor = monitor
        self.clock = clock
        self.jitter = jitter
        self.heartbeatInterval = heartbeatInterval
        self.sweepLoop = sweepLoop
        self.logger = logger
    }

    /// A uniformly random delay in `0...bound`.
    public static func randomJitter(_ bound: Duration) -> Duration {
        let nanoseconds = max(0, bound.nanoseconds)
        return .nanoseconds(Int64.random(in: 0...nanoseconds))
    }

    public func run() async throws {
        let monitor = self.monitor
        let sweeper = sweepLoop?.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
            monitor.sweep()
        }
        defer { sweeper?.cancel() }
        for (config, check) in initialChecks {
            await loops.start(config) { await self.loop(config, check) }
        }
        logger.info("checks scheduled", metadata: ["checks": "\(initialChecks.count)"])
        await cancelWhenGracefulShutdown {
            await self.heartbeat()
        }
        await loops.close()
    }

    /// Applies a reload: stops the loops of the plan's removed and changed
    /// checks and waits for their runs to end, shuts their old instances down,
    /// hands the plan to the monitor, then starts `started`. Loops of
    /// unchanged checks run on undisturbed.
    /// - Parameters:
    ///   - plan: The reload, computed once (``ReloadPlan``).
    ///   - started: The runnable checks to start: the plan's added and changed
    ///     checks that run on a schedule (``CheckFactory/apply(_:)``).
    ///   - retiring: The old instances the plan replaces or removes, shut down
    ///     once their loops have stopped (a run never meets a closed connection).
    public func apply(
        _ plan: ReloadPlan, started: [(config: CheckConfig, check: any HealthCheck)], retiring: [any HealthCheck] = []
    ) async {
        let stopped = await loops.stop(plan.retired)
        for check in retiring { await check.shutdown() }
        monitor.apply(plan)
        var count = 0
        for (config, check) in started where await loops.start(config, body: { await self.loop(config, check) }) {
            count += 1
        }
        logger.info("checks rescheduled", metadata: ["checks": "\(plan.checks.count)", "stopped": "\(stopped)", "started": "\(count)"])
    }

    private func loop(_ config: CheckConfig, _ check: any HealthCheck) async {
        // A short spread at start, so the first round is quick but not simultaneous.
        guard (try? await clock.sleep(for: jitter(min(config.interval, .milliseconds(100))))) != nil else { return }
        while !Task.isCancelled {
            await runOnce(config, check)
            guard (try? await clock.sleep(for: config.interval + jitter(config.interval / 10))) != nil else { return }
        }
    }

    /// One run, raced against its timeout; returns only when the run has ended.
    func runOnce(_ config: CheckConfig, _ check: any HealthCheck) async {
        let start = clock.now
        let clock = self.clock
        await withTaskGroup(of: Result<Void, CheckFailure>?.self) { group in
            group.addTask {
                do {
                    try await check.run()
                    return .success(())
                } catch {
                    return .failure(CheckFailure.classify(error, target: config.name))
                }
            }
            group.addTask {
                guard (try? await clock.sleep(for: config.timeout)) != nil else { return nil }
                return .failure(CheckFailure(.timeout, "\(config.name): no answer within \(ConfigValueParsers.format(config.timeout))"))
            }
            var recorded = false
            while let result = await group.next() {
                // The first to finish decides; a run cancelled by shutdown is not a result.
                guard !recorded, let outcome = result, !Task.isCancelled else { continue }
                recorded = true
                monitor.record(check: config.name, outcome: outcome, duration: start.duration(to: clock.now))
                group.cancelAll()
            }
        }
    }

    private func heartbeat() async {
        while !Task.isCancelled {
            monitor.beat()
            guard (try? await clock.sleep(for: heartbeatInterval)) != nil else { return }
        }
    }
}
