import CoreMetrics

/// A swift-metrics `Counter` or `FloatingPointCounter` on a registry counter series.
final class CounterSeriesHandler: CounterHandler, FloatingPointCounterHandler, Sendable {
    let series: Counter
    let release: @Sendable () -> Void

    init(series: Counter, release: @escaping @Sendable () -> Void) {
        self.series = series
        self.release = release
    }

    func increment(by amount: Int64) {
        // swift-metrics allows negative amounts; a Prometheus counter only goes up.
        guard amount > 0 else { return }
        series.increment(by: Int(amount))
    }

    func increment(by amount: Double) {
        guard amount > 0, amount.isFinite else { return }
        series.increment(by: amount)
    }

    func reset() {
        series.set(total: 0)
    }
}

/// A swift-metrics `Meter`, or a `Recorder` that does not aggregate, on a gauge series.
final class GaugeSeriesHandler: MeterHandler, RecorderHandler, Sendable {
    let series: Gauge
    let release: @Sendable () -> Void

    init(series: Gauge, release: @escaping @Sendable () -> Void) {
        self.series = series
        self.release = release
    }

    func set(_ value: Int64) { series.set(Double(value)) }
    func set(_ value: Double) { series.set(value) }
    func increment(by amount: Double) { series.increment(by: amount) }
    func decrement(by amount: Double) { series.increment(by: -amount) }
    func record(_ value: Int64) { series.set(Double(value)) }
    func record(_ value: Double) { series.set(value) }
}

/// A swift-metrics `Timer` (in seconds), or an aggregating `Recorder`, on a histogram series.
final class HistogramSeriesHandler: RecorderHandler, TimerHandler, Sendable {
    let series: Histogram
    let release: @Sendable () -> Void

    init(series: Histogram, release: @escaping @Sendable () -> Void) {
        self.series = series
        self.release = release
    }

    func record(_ value: Int64) { series.observe(Double(value)) }
    func record(_ value: Double) { series.observe(value) }
    func recordNanoseconds(_ duration: Int64) { series.observe(Double(duration) / 1e9) }
}

/// What a registration that cannot be honoured gets: updates go nowhere,
/// and the error was logged and counted when it was made.
final class DiscardingHandler: CounterHandler, FloatingPointCounterHandler, MeterHandler, RecorderHandler, TimerHandler, Sendable {
    func increment(by: Int64) {}
    func increment(by: Double) {}
    func reset() {}
    func set(_ value: Int64) {}
    func set(_ value: Double) {}
    func decrement(by: Double) {}
    func record(_ value: Int64) {}
    func record(_ value: Double) {}
    func recordNanoseconds(_ duration: Int64) {}
}
