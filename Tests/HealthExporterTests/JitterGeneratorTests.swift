import Testing

@testable import HealthExporter

@Suite("Run jitter: SplitMix64, within its bound and spread over it")
struct JitterGeneratorTests {
    @Test("SplitMix64's reference outputs for seed 0")
    func referenceVector() {
        var generator = JitterGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

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
