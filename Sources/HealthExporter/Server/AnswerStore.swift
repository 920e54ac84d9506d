import NIOConcurrencyHelpers

/// Holds the ``PrebuiltAnswers`` of the newest snapshot; it observes the
/// monitor and encodes with ``ProbeAnswers`` alone (no way back into the
/// monitor). Event loops read it without waiting on anything but a short lock.
final class AnswerStore: HealthObserver {
    // Guards the reference only; the answers themselves are immutable.
    private let current: NIOLockedValueBox<PrebuiltAnswers?>
    private let renderer: ProbeAnswers

    /// Subscribes to `monitor` at once, so the first answers exist before any request.
    init(renderer: ProbeAnswers, monitor: HealthMonitor) {
        self.renderer = renderer
        self.current = NIOLockedValueBox(nil)
        monitor.subscribe(self)
    }

    var answers: PrebuiltAnswers {
        // Set by the subscription's first delivery, inside init.
        current.withLockedValue { $0! }
    }

    func observe(_ update: HealthUpdate) {
        // Encode only when an answer changed; updates arrive in order.
        let stored = current.withLockedValue { $0 }
        let fresh =
            if let stored, stored.snapshot.hasSameAnswers(as: update.snapshot) {
                PrebuiltAnswers(snapshot: update.snapshot, sharing: stored)
            } else {
                PrebuiltAnswers(snapshot: update.snapshot, renderer: renderer)
            }
        current.withLockedValue { $0 = fresh }
    }
}
