import NIOCore

/// Runs Swift tasks on a NIO event loop (SE-0417 task executor preference).
///
/// A check run started with this preference begins on the loop whose timer
/// fired, and resumes there when its I/O completes, so a run costs no thread
/// hop beyond the one its blocking work (if any) takes to NIO's thread pool.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
