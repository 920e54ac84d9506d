import NIOConcurrencyHelpers

/// SplitMix64 (Steele, Lea and Flood), seeded once from the system
/// generator: fast, well spread, and not for secrets. The scheduler draws
/// each run's jitter from it.
struct JitterGenerator: RandomNumberGenerator, Sendable {
    /// The process's generator, behind a lock (one draw per check run).
    static let shared = NIOLockedValueBox(JitterGenerator(seed: UInt64.random(in: .min ... .max)))

    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
