import Atomics

/// A monotonically increasing value: one series of a counter family.
///
/// Whole-number increments (the common case: requests, runs) are one atomic
/// add; fractional ones go to a separate lock-free double. Neither allocates.
public final class Counter: Sendable {
    private let whole = ManagedAtomic<UInt64>(0)
    private let fraction = AtomicDouble()
    /// The label values, in the family's label-name order.
    public let labelValues: [String]
    let created: WallClockTimestamp

    init(labelValues: [String], created: WallClockTimestamp) {
        self.labelValues = labelValues
        self.created = created
    }

    /// Adds one.
    public func increment() {
        whole.wrappingIncrement(ordering: .relaxed)
    }

    /// Adds a whole `amount`; negative amounts are ignored (a counter never goes down).
    public func increment(by amount: Int) {
        guard amount > 0 else { return }
        whole.wrappingIncrement(by: UInt64(amount), ordering: .relaxed)
    }

    /// Adds a fractional amount; negative amounts are ignored (a counter never goes down).
    public func increment(by amount: Double) {
        guard amount > 0, amount.isFinite else { return }
        fraction.add(amount)
    }

    /// Mirrors a total kept elsewhere (CPU time from `/proc`), for scrape-time collectors.
    public func set(total: Double) {
        whole.store(0, ordering: .relaxed)
        fraction.store(total)
    }

    /// The current total.
    public var value: Double {
        Double(whole.load(ordering: .relaxed)) + fraction.load()
    }
}
