import Logging
import NIOCore
import NIOPosix
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Runs every check on its own interval, concurrently, in the background;
/// probes only ever read the results.
///
/// - Each check is, at any moment, either waiting for its next run or
///   running: run, record, wait `interval`. A run is never started while
///   the previous one is still in flight (single-flight). The first run
///   starts at once (at start-up it decides readiness).
/// - A run that exceeds `timeout` is recorded as `timeout` the moment the
///   timeout fires, and cancelled.
/// - In real time (`ContinuousClock`), the waits are NIO timers on one event
///   loop and runs execute there (``EventLoopTaskExecutor``): between runs a
///   check costs no task, no thread and no sleep. Each wait between runs
///   ends on the nearest point of a ``SlotGrid`` (a quarter of the interval
///   apart, at most 250 ms), so runs due close together share one wake-up;
///   the grid's phase is random per scheduler, so the exporters of many pods
///   do not hit a dependency in step. Any other clock (a test's) is slept
///   on, exactly.
/// - A heartbeat beats every second from the same timers and grid; a
///   staleness sweep runs on another event loop's timer, so a wedged
///   scheduler still fails liveness.
/// - ``apply(_:started:retiring:)`` (a reload) stops removed and changed
///   checks, waits for their in-flight runs, and starts the new ones;
///   unchanged checks run on undisturbed.
///
/// Generic over `Clock` so tests drive time by hand.
public final class CheckScheduler<C: Clock>: Service, Sendable where C.Duration == Duration {
    private let initialChecks: [(config: CheckConfig, check: any HealthCheck)]
    private let loops = CheckLoops()
    private let monitor: HealthMonitor
    private let timers: SchedulerTimers<C>
    private let executor: (any TaskExecutor)?
    /// Where this scheduler's slot grids sit (``SlotGrid/phase``).
    private let phase: Duration
    private let heartbeatInterval: Duration
    private let heartbeat = NIOLockedValueBox<(wake: ScheduledWake?, stopped: Bool)>((nil, false))
    private let sweepLoop: (any EventLoop)?
    private let logger: Logger

    /// - Parameters:
    ///   - checks: The runnable checks (``CheckFactory/checks``, or your own).
    ///   - monitor: Receives every result.
    ///   - clock: Time for intervals, timeouts and durations.
    ///   - eventLoop: Where timers fire and runs execute when `clock` is
    ///     `ContinuousClock` (default: one of NIO's shared loops). Ignored for
    ///     any other clock, whose own sleeps are used.
    ///   - jitter: A random delay up to the given bound: draws the slot
    ///     grid's phase (tests pass `{ _ in .zero }`).
    ///   - heartbeatInterval: How often to call ``HealthMonitor/beat()``.
    ///   - sweepLoop: The event loop for the staleness sweep; nil to leave sweeping to the caller.
    public init(
        checks: [(config: CheckConfig, check: any HealthCheck)],
        monitor: HealthMonitor,
        clock: C,
        eventLoop: (any EventLoop)? = nil,
        jitter: @Sendable (Duration) -> Duration = CheckScheduler.randomJitter,
        heartbeatInterval: Duration = .seconds(1),
        sweepLoop: (any EventLoop)? = MultiThreadedEventLoopGroup.singleton.next(),
        logger: Logger
    ) {
        self.initialChecks = checks
        self.monitor = monitor
        // Event-loop timers keep real time only: a hand-driven clock must be slept on.
        self.timers =
            C.self == ContinuousClock.self
            ? .eventLoop(eventLoop ?? MultiThreadedEventLoopGroup.singleton.next(), clock: clock) : .clock(clock)
        self.executor = timers.executor
        self.phase = jitter(SlotGrid.maximumWidth)
        self.heartbeatInterval = heartbeatInterval
        self.sweepLoop = sweepLoop
        self.logger = logger
    }

    /// A uniformly random delay in `0...bound`: drawn once per scheduler, for its grid's phase.
    public static func randomJitter(_ bound: Duration) -> Duration {
        .nanoseconds(Int64.random(in: 0...max(0, bound.nanoseconds)))
    }

    public func run() async throws {
        let monitor = self.monitor
        let sweeper = sweepLoop?.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
            monitor.sweep()
        }
        defer { sweeper?.cancel() }
        for (config, check) in initialChecks {
            start(config, check)
        }
        logger.info("checks scheduled", metadata: ["checks": "\(initialChecks.count)"])
        beat()
        // Until shutdown (or cancellation): the loops live in timers and tasks, not here.
        try? await gracefulShutdown()
        heartbeat.withLockedValue { heartbeat in
            heartbeat.stopped = true
            heartbeat.wake?.cancel()
        }
        await loops.close()
    }

    /// Applies a reload: stops the plan's removed and changed checks and
    /// waits for their runs to end, shuts their old instances down, hands
    /// the plan to the monitor, then starts `started`. Unchanged checks run
    /// on undisturbed.
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
        let count = started.filter { start($0.config, $0.check) }.count
        logger.info("checks rescheduled", metadata: ["checks": "\(plan.checks.count)", "stopped": "\(stopped)", "started": "\(count)"])
    }

    /// Schedules a check's first run at once. No spread: the checks started
    /// together land on the same grid point from their second run on, which
    /// a spread of the first runs could split over two, for good (two loop
    /// wake-ups a second instead of one: 1 of 6 starts counted with 100 ms spreads).
    @discardableResult
    private func start(_ config: CheckConfig, _ check: any HealthCheck) -> Bool {
        guard let generation = loops.start(config.name) else { return false }
        wait(config, check, generation: generation, for: .zero, grid: nil)
        return true
    }

    /// Waits `delay` before the next run. Between runs the wake moves to the
    /// nearest point of the check's ``SlotGrid`` (by at most 1/8 of the
    /// interval), so runs due close together share one loop wake-up: with 50
    /// checks at 1 s, 1/10-interval slots took steady idle CPU from about 9
    /// to about 4 ms per second, and this grid by about another 40%.
    /// The first run (`grid: nil`) is never moved: it decides readiness at start-up.
    private func wait(_ config: CheckConfig, _ check: any HealthCheck, generation: Int, for delay: Duration, grid: SlotGrid?) {
        loops.waiting(config.name, generation: generation) {
            timers.schedule(after: delay, grid: grid) { self.begin(config, check, generation: generation) }
        }
    }

    /// Starts one run and arms its timeout; the run schedules the next when it ends.
    private func begin(_ config: CheckConfig, _ check: any HealthCheck, generation: Int) {
        let clock = timers.clock
        let start = clock.now
        let attempt = RunAttempt()
        let monitor = self.monitor
        let loops = self.loops
        let run = loops.running(config.name, generation: generation) {
            Task(executorPreference: executor) {
                let report = CheckRunReport()
                let result: CheckRunResult
                do {
                    try await check.run(report: report)
                    result = .classify(nil, target: config.name, report: report)
                } catch {
                    result = .classify(error, target: config.name, report: report)
                }
                attempt.finish()
                // A run ended by a reload or shutdown is not a result, and has no next run.
                guard loops.isCurrent(config.name, generation: generation) else { return }
                if attempt.claim() {
                    monitor.record(check: config.name, result: result, duration: start.duration(to: clock.now))
                }
                self.wait(config, check, generation: generation, for: config.interval, grid: SlotGrid(interval: config.interval, phase: self.phase))
            }
        }
        guard let run else { return }
        attempt.arm(
            timers.schedule(after: config.timeout) {
                guard loops.isCurrent(config.name, generation: generation), attempt.claim() else { return }
                let failure = CheckFailure(.timeout, "\(config.name): no answer within \(ConfigValueParsers.format(config.timeout))")
                monitor.record(check: config.name, outcome: .failure(failure), duration: start.duration(to: clock.now))
                run.cancel()
            })
    }

    private func beat() {
        monitor.beat()
        heartbeat.withLockedValue { heartbeat in
            guard !heartbeat.stopped else { return }
            heartbeat.wake = timers.schedule(after: heartbeatInterval, grid: SlotGrid(interval: heartbeatInterval, phase: phase)) { self.beat() }
        }
    }
}

extension CheckScheduler: CustomStringConvertible {
    /// The name ServiceLifecycle logs it under (a plain string: describing
    /// the instance by reflection costs start-up time).
    public var description: String { "check scheduler" }
}
