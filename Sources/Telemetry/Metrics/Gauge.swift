/// A value that goes up and down: one series of a gauge family.
public final class Gauge: Sendable {
    private let storage = AtomicDouble()
    /// The label values, in the family's label-name order.
    public let labelValues: [String]

    init(labelValues: [String]) {
        self.labelValues = labelValues
    }

    public func set(_ value: Double) {
        storage.store(value)
    }

    public func set(_ value: Bool) {
        storage.store(value ? 1 : 0)
    }

    public func increment(by delta: Double = 1) {
        storage.add(delta)
    }

    public var value: Double {
        storage.load()
    }
}
