import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// Waits for the child to end and returns its exit status (or, when a
    /// signal ended it, the signal's number, as `terminationStatus` does).
    ///
    /// `waitUntilExit()` relies on Foundation's SIGCHLD source; under many
    /// concurrent children it was seen to leave a zombie unreaped and wait
    /// forever on a cooperative thread, starving every other test. This polls
    /// `waitpid` itself and accepts whichever side reaps the child first.
    public func waitForExit() -> Int32 {
        let pid = processIdentifier
        while true {
            if !isRunning { return terminationStatus }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let signal = status & 0x7f
                return signal == 0 ? (status >> 8) & 0xff : signal
            }
            usleep(5_000)
        }
    }
}
