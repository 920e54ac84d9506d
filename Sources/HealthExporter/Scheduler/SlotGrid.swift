import NIOCore

/// Points in time `width` apart, shifted by `phase`: the scheduler moves each
/// wake between runs to the nearest point, so runs due close together share
/// one event-loop wake-up (and one thread-pool hand-off for their blocking calls).
///
/// Nearest, not next: a wake moves at most half a slot either way, so a
/// check's cadence stays centred on its interval instead of drifting late.
/// The phase is drawn once per scheduler, so exporters on one node (whose
/// monotonic clocks agree) do not all wake on the same instants.
struct SlotGrid: Sendable, Equatable {
    /// The distance between points; zero keeps every deadline as it is.
    let width: Duration
    /// Where the points sit within a width (taken modulo `width`).
    let phase: Duration

    /// The widest slot: a check with a long interval moves by at most half of this.
    static let maximumWidth = Duration.milliseconds(250)

    /// The grid for a check that runs every `interval`: a quarter of it, at
    /// most ``maximumWidth``, so a wake moves by at most 1/8 of the interval.
    init(interval: Duration, phase: Duration) {
        self.init(width: min(interval / 4, Self.maximumWidth), phase: phase)
    }

    init(width: Duration, phase: Duration) {
        self.width = max(width, .zero)
        self.phase = phase
    }

    /// The grid point nearest to `deadline` (ties go later).
    func nearest(_ deadline: NIODeadline) -> NIODeadline {
        let width = UInt64(self.width.nanoseconds)
        guard width > 0 else { return deadline }
        let offset = UInt64(max(phase.nanoseconds, 0)) % width
        let time = deadline.uptimeNanoseconds
        // Before the first point (only within a slot of boot): the first point.
        guard time >= offset else { return .uptimeNanoseconds(offset) }
        let index = (time - offset + width / 2) / width
        return .uptimeNanoseconds(index * width + offset)
    }
}
