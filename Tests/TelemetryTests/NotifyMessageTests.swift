import TelemetryTesting
import Testing

@testable import Telemetry

@Suite("sd_notify messages")
struct NotifyMessageTests {
    @Test("fields render as KEY=VALUE lines, in order, merged into one datagram")
    func wireForm() {
        let message = NotifyMessage.ready.merging(.status("ready: 3/3 checks passing"))
        #expect(message.description == "READY=1\nSTATUS=ready: 3/3 checks passing")
        #expect(message["STATUS"] == "ready: 3/3 checks passing")
        #expect(message["STOPPING"] == nil)
        #expect(NotifyMessage.stopping.description == "STOPPING=1")
        #expect(NotifyMessage.watchdog.description == "WATCHDOG=1")
    }

    @Test("a status with line breaks stays one field")
    func statusIsOneLine() {
        // "\r\n" is one Character, so one space.
        #expect(NotifyMessage.status("not ready:\ndatabase down\r\n").description == "STATUS=not ready: database down ")
    }

    @Test("RELOADING=1 carries MONOTONIC_USEC, read from CLOCK_MONOTONIC")
    func reloading() throws {
        #expect(NotifyMessage.reloading(monotonicMicroseconds: 42).description == "RELOADING=1\nMONOTONIC_USEC=42")
        let first = try #require(UInt64(NotifyMessage.reloadingNow()["MONOTONIC_USEC"] ?? ""))
        let second = try #require(UInt64(NotifyMessage.reloadingNow()["MONOTONIC_USEC"] ?? ""))
        #expect(first > 0 && second >= first)
    }

    @Test("the in-memory twin keeps every message")
    func inMemory() {
        let notifier = InMemoryNotifier(watchdogInterval: .seconds(5))
        notifier.notify(.ready)
        notifier.notify(.watchdog)
        #expect(notifier.messages == [.ready, .watchdog])
        #expect(notifier.messages(setting: "WATCHDOG") == [.watchdog])
        #expect(notifier.watchdogInterval == .seconds(5))
    }
}
