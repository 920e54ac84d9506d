import NIOCore

/// Where the scheduler's waits come from: NIO timers on one event loop for
/// real time, or sleeps on any other `Clock` (a test's hand-driven one).
///
/// An event loop keeps every check's next run in one timer heap and fires
/// them from one `epoll_wait`: no task and no sleeping thread per check
/// between runs, which is what an idle exporter's CPU is spent on.
enum SchedulerTimers<C: Clock>: Sendable where C.Duration == Duration {
    case eventLoop(any EventLoop, clock: C)
    case clock(C)

    /// Calls `body` once `delay` has passed, unless the wake is cancelled first.
    /// - Parameter grid: On an event loop, the deadline moves to the grid's
    ///   nearest point, so wakes due close together fire in one loop
    ///   iteration (timer slack); nil for an exact deadline. Another clock
    ///   keeps the exact delay.
    func schedule(after delay: Duration, grid: SlotGrid? = nil, _ body: @escaping @Sendable () -> Void) -> ScheduledWake {
        switch self {
        case .eventLoop(let loop, _):
            let exact = NIODeadline.now() + .nanoseconds(max(0, delay.nanoseconds))
            let deadline = grid?.nearest(exact) ?? exact
            // A scheduled callback, not a scheduled task: no promise or future per wake.
            guard let scheduled = try? loop.scheduleCallback(at: deadline, handler: Wake(body: body)) else {
                // The loop has shut down, and with it the process: nothing is left to wake.
                return ScheduledWake {}
            }
            return ScheduledWake { scheduled.cancel() }
        case .clock(let clock):
            let task = Task {
                guard (try? await clock.sleep(for: delay)) != nil, !Task.isCancelled else { return }
                body()
            }
            return ScheduledWake { task.cancel() }
        }
    }

    var clock: C {
        switch self {
        case .eventLoop(_, let clock), .clock(let clock): clock
        }
    }

    /// Where runs execute: on the timers' event loop, so a run's start, its
    /// I/O completions and its result never hop threads; the default
    /// executor otherwise.
    var executor: (any TaskExecutor)? {
        switch self {
        case .eventLoop(let loop, _): EventLoopTaskExecutor(loop: loop)
        case .clock: nil
        }
    }
}

/// A timer callback that calls a closure.
private struct Wake: NIOScheduledCallbackHandler, Sendable {
    let body: @Sendable () -> Void

    func handleScheduledCallback(eventLoop: some EventLoop) {
        body()
    }
}

/// A pending wake-up; ``cancel()`` stops it if it has not fired.
struct ScheduledWake: Sendable {
    let cancel: @Sendable () -> Void
}
