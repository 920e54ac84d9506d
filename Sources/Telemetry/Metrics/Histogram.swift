import Atomics

/// A distribution of observed values in fixed buckets: one series of a
/// histogram family. `observe` is a short scan of the bucket bounds and three
/// atomic updates; it never allocates.
public final class Histogram: Sendable {
    /// The label values, in the family's label-name order.
    public let labelValues: [String]
    let upperBounds: [Double]
    // Per-bucket (non-cumulative) counts; the last slot is the +Inf overflow.
    private let bucketCounts: [ManagedAtomic<UInt64>]
    private let total = ManagedAtomic<UInt64>(0)
    private let sumStorage = AtomicDouble()
    let created: WallClockTimestamp

    init(labelValues: [String], upperBounds: [Double], created: WallClockTimestamp) {
        self.labelValues = labelValues
        self.upperBounds = upperBounds
        self.bucketCounts = (0...upperBounds.count).map { _ in ManagedAtomic<UInt64>(0) }
        self.created = created
    }

    /// Records one value. NaN is ignored: it would poison the sum forever.
    public func observe(_ value: Double) {
        guard !value.isNaN else { return }
        var index = 0
        while index < upperBounds.count, value > upperBounds[index] {
            index += 1
        }
        bucketCounts[index].wrappingIncrement(ordering: .relaxed)
        sumStorage.add(value)
        total.wrappingIncrement(ordering: .relaxed)
    }

    /// Records a duration in seconds.
    public func observe(_ duration: Duration) {
        observe(duration.inSeconds)
    }

    /// Observations so far.
    public var count: UInt64 {
        total.load(ordering: .relaxed)
    }

    /// Sum of the observed values.
    public var sum: Double {
        sumStorage.load()
    }

    /// Cumulative counts per bucket bound, `+Inf` last (equal to ``count`` at rest).
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return bucketCounts.map { bucket in
            running &+= bucket.load(ordering: .relaxed)
            return running
        }
    }
}
