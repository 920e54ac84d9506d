import NIOCore
import Testing

@testable import HealthExporter

@Suite("Slot grid: a wake between runs moves to the nearest shared point, by at most half a slot")
struct SlotGridTests {
    private static func at(_ milliseconds: UInt64) -> NIODeadline {
        .uptimeNanoseconds(milliseconds * 1_000_000)
    }

    @Test("rounds to the nearest point, earlier or later, never by more than half a slot")
    func nearest() {
        let grid = SlotGrid(width: .milliseconds(100), phase: .zero)
        #expect(grid.nearest(Self.at(1_000)) == Self.at(1_000))
        #expect(grid.nearest(Self.at(1_049)) == Self.at(1_000))
        #expect(grid.nearest(Self.at(1_050)) == Self.at(1_100))
        #expect(grid.nearest(Self.at(1_051)) == Self.at(1_100))
        #expect(grid.nearest(.uptimeNanoseconds(1_099_999_999)) == Self.at(1_100))
    }

    @Test("the phase shifts every point; a phase wider than the slot counts modulo the width")
    func phase() {
        let grid = SlotGrid(width: .milliseconds(100), phase: .milliseconds(30))
        #expect(grid.nearest(Self.at(1_000)) == Self.at(1_030))
        #expect(grid.nearest(Self.at(979)) == Self.at(930))
        #expect(grid.nearest(Self.at(981)) == Self.at(1_030))
        let wide = SlotGrid(width: .milliseconds(100), phase: .milliseconds(230))
        #expect(wide.nearest(Self.at(1_000)) == Self.at(1_030))
        // Before the first point (just after boot): the first point.
        #expect(grid.nearest(Self.at(10)) == Self.at(30))
    }

    @Test("a zero width keeps the deadline exact")
    func zeroWidth() {
        let grid = SlotGrid(width: .zero, phase: .milliseconds(30))
        #expect(grid.nearest(.uptimeNanoseconds(1_000_000_001)) == .uptimeNanoseconds(1_000_000_001))
    }

    @Test("a check's slot is a quarter of its interval, at most 250 ms", arguments: [
        (Duration.milliseconds(40), Duration.milliseconds(10)),
        (.seconds(1), .milliseconds(250)),
        (.seconds(30), .milliseconds(250)),
    ])
    func width(interval: Duration, expected: Duration) {
        #expect(SlotGrid(interval: interval, phase: .zero).width == expected)
    }
}
