import NIOConcurrencyHelpers

/// Holds the ``PrebuiltAnswers`` of the newest snapshot, kept current by the
/// monitor; event loops read it without waiting on anything but a short lock.
final class AnswerStore: Sendable {
    // Guards the reference only; the answers themselves are immutable.
    private let current: NIOLockedValueBox<PrebuiltAnswers>
    private let router: ProbeRouter

    init(router: ProbeRouter) {
        self.router = router
        self.current = NIOLockedValueBox(PrebuiltAnswers(snapshot: router.monitor.snapshot, router: router))
        router.monitor.onSnapshot { [weak self] snapshot in
            self?.update(snapshot)
        }
    }

    var answers: PrebuiltAnswers {
        current.withLockedValue { $0 }
    }

    private func update(_ snapshot: HealthSnapshot) {
        // Encode outside the lock, and only when an answer changed; racing updates keep the newest generation.
        let stored = answers
        let fresh =
            stored.snapshot.hasSameAnswers(as: snapshot)
            ? PrebuiltAnswers(snapshot: snapshot, sharing: stored)
            : PrebuiltAnswers(snapshot: snapshot, router: router)
        current.withLockedValue { stored in
            if fresh.snapshot.generation >= stored.snapshot.generation {
                stored = fresh
            }
        }
    }
}
