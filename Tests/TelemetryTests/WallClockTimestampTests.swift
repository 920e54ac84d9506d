import Foundation
import Testing

@testable import Telemetry

@Suite("Wall-clock timestamps")
struct WallClockTimestampTests {
    @Test("RFC 3339 in UTC with milliseconds", arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_795_676_400_000_000_000, "2026-11-26T07:00:00.000Z"),
        (1_795_676_400_123_456_789, "2026-11-26T07:00:00.123Z"),
        (-1_000_000, "1969-12-31T23:59:59.999Z"),
        (951_782_400_000_000_000, "2000-02-29T00:00:00.000Z"),
    ])
    func rfc3339(_ nanoseconds: Int64, _ expected: String) {
        #expect(WallClockTimestamp(nanosecondsSinceEpoch: nanoseconds).rfc3339 == expected)
    }

    @Test("now is the wall clock: it falls between two readings of Foundation's independent clock")
    func now() {
        // Foundation's Date is a separate implementation: a monotonic or
        // mis-scaled reading here would fall far outside the bracket.
        let before = Date().timeIntervalSince1970
        let now = WallClockTimestamp.now()
        let after = Date().timeIntervalSince1970
        #expect(now.secondsSinceEpoch >= before - 0.001, "\(now.secondsSinceEpoch) < \(before)")
        #expect(now.secondsSinceEpoch <= after + 0.001, "\(now.secondsSinceEpoch) > \(after)")
    }
}
