import Testing

@testable import HealthExporter

@Suite("The slot grid's random phase (randomJitter): within the bound and spread over it")
struct RandomJitterTests {
    @Test("randomJitter stays in 0...bound, covers it, and is zero for a zero or negative bound")
    func bounds() {
        let draws = (0..<2_000).map { _ in CheckScheduler<ContinuousClock>.randomJitter(.seconds(1)) }
        #expect(draws.allSatisfy { $0 >= .zero && $0 <= .seconds(1) })
        #expect(draws.min()! < .milliseconds(20))
        #expect(draws.max()! > .milliseconds(980))
        let tenths = Set(draws.map { $0.nanoseconds / 100_000_000 })
        #expect(tenths.count == 10, "every tenth of the bound is hit: \(tenths.sorted())")
        #expect(CheckScheduler<ContinuousClock>.randomJitter(.zero) == .zero)
        #expect(CheckScheduler<ContinuousClock>.randomJitter(.seconds(-1)) == .zero)
    }
}
