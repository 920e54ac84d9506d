import Atomics
import NIOConcurrencyHelpers
import NIOCore

/// Owns every metric family of a process and renders them as Prometheus text
/// 0.0.4 or OpenMetrics 1.0, families sorted by name and series by label
/// values, so the output is stable from scrape to scrape.
///
/// Registering a name twice with the same definition returns the same family;
/// with a different one it throws, naming both definitions.
public final class MetricsRegistry: Sendable {
    private struct State {
        var families: [String: any RenderableFamily] = [:]
        var sortedNames: [String] = []
        var collectors: [@Sendable () -> Void] = []
    }

    // Guards registration and the collector list; never held while rendering series.
    private let state = NIOLockedValueBox(State())
    private let clock: @Sendable () -> WallClockTimestamp
    // The last rendered size, so the next scrape allocates its buffer once.
    private let sizeHint = ManagedAtomic<Int>(4096)

    /// - Parameter clock: The wall clock for `_created` samples (tests pin it).
    public init(clock: @escaping @Sendable () -> WallClockTimestamp = { .now() }) {
        self.clock = clock
    }

    /// Registers (or finds) a counter family. Counter names end in `_total`.
    /// - Throws: ``RegistryError``.
    public func counter(_ name: String, help: String, labels: [String] = []) throws(RegistryError) -> MetricFamily<Counter> {
        let descriptor = try MetricDescriptor(name: name, help: help, kind: .counter, labelNames: labels)
        let clock = self.clock
        return try register(descriptor) { MetricFamily<Counter>(descriptor: descriptor) { Counter(labelValues: $0, created: clock()) } }
    }

    /// Registers (or finds) a gauge family.
    /// - Throws: ``RegistryError``.
    public func gauge(_ name: String, help: String, labels: [String] = []) throws(RegistryError) -> MetricFamily<Gauge> {
        let descriptor = try MetricDescriptor(name: name, help: help, kind: .gauge, labelNames: labels)
        return try register(descriptor) { MetricFamily<Gauge>(descriptor: descriptor) { Gauge(labelValues: $0) } }
    }

    /// Registers (or finds) a histogram family with the given bucket upper bounds (`+Inf` is implied).
    /// - Throws: ``RegistryError``.
    public func histogram(_ name: String, help: String, labels: [String] = [], buckets: [Double]) throws(RegistryError) -> MetricFamily<Histogram> {
        let descriptor = try MetricDescriptor(name: name, help: help, kind: .histogram, labelNames: labels, buckets: buckets)
        let clock = self.clock
        return try register(descriptor) {
            MetricFamily<Histogram>(descriptor: descriptor) { Histogram(labelValues: $0, upperBounds: buckets, created: clock()) }
        }
    }

    /// Adds work to run before every render: scrape-time collectors (such as
    /// `/proc` readers) set their gauges and counters here.
    public func addCollector(_ collector: @escaping @Sendable () -> Void) {
        state.withLockedValue { $0.collectors.append(collector) }
    }

    /// Renders every family.
    public func render(_ format: ExpositionFormat, into buffer: inout ByteBuffer) {
        let (collectors, families) = state.withLockedValue { state in
            (state.collectors, state.sortedNames.compactMap { state.families[$0] })
        }
        for collector in collectors {
            collector()
        }
        for family in families {
            family.render(format, into: &buffer)
        }
        if format == .openMetrics {
            buffer.writeStaticString("# EOF\n")
        }
    }

    /// Renders every family into a new buffer sized from the previous render.
    public func render(_ format: ExpositionFormat, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: sizeHint.load(ordering: .relaxed) + 1024)
        render(format, into: &buffer)
        sizeHint.store(buffer.readableBytes, ordering: .relaxed)
        return buffer
    }

    /// Renders every family to a string (tests, debugging).
    public func render(_ format: ExpositionFormat) -> String {
        String(buffer: render(format, allocator: ByteBufferAllocator()))
    }

    private func register<Family: RenderableFamily>(_ descriptor: MetricDescriptor, make: () -> Family) throws(RegistryError) -> Family {
        let result: Result<Family, RegistryError> = state.withLockedValue { state in
            if let existing = state.families[descriptor.name] {
                guard existing.descriptor == descriptor, let family = existing as? Family else {
                    return .failure(
                        RegistryError(
                            code: .conflictingRegistration,
                            message: "metric \(descriptor.name) is already registered as \(existing.descriptor); cannot register it as \(descriptor)"
                        )
                    )
                }
                return .success(family)
            }
            let family = make()
            state.families[descriptor.name] = family
            let index = state.sortedNames.firstIndex { $0 > descriptor.name } ?? state.sortedNames.endIndex
            state.sortedNames.insert(descriptor.name, at: index)
            return .success(family)
        }
        return try result.get()
    }
}
