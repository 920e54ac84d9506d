import Telemetry

/// What systemd should hear as health changes: the rules of `READY=1` and
/// `STATUS=`, as a plain value with no I/O.
///
/// - `READY=1` once: when readiness first passes (`notify.readyWhen: ready`),
///   or once the socket is bound (`started`). Never after draining began.
/// - `STATUS=` whenever the one-line summary changes.
/// - After a reload, `READY=1` again (systemd waits for it after `RELOADING=1`).
///   A refused reload's reason stays on the status line until a reload succeeds.
/// - Snapshots may arrive out of order; older generations are ignored.
struct ReadinessNotifications: Sendable {
    let readyWhen: HealthExporterConfig.Notify.ReadyWhen
    private(set) var sentReady = false
    private(set) var listening = false
    private var lastStatus: String?
    private var reloadNote: String?
    private var lastObserved: HealthSnapshot?

    init(readyWhen: HealthExporterConfig.Notify.ReadyWhen) {
        self.readyWhen = readyWhen
    }

    /// The server is bound and accepting.
    mutating func serverListening(_ snapshot: HealthSnapshot) -> NotifyMessage? {
        listening = true
        return message(for: snapshot)
    }

    /// A new snapshot was published.
    mutating func observe(_ snapshot: HealthSnapshot) -> NotifyMessage? {
        let previous = lastObserved
        if let previous, snapshot.generation < previous.generation { return nil }
        lastObserved = snapshot
        // Most snapshots only move times and counters: nothing to say.
        if let previous, previous.hasSameAnswers(as: snapshot), sentReady || !listening { return nil }
        return message(for: snapshot)
    }

    /// A reload ended: `READY=1` and the status. `note` (why the reload was
    /// refused, or what needs a restart) stays on the status line until the
    /// next reload; nil clears it.
    mutating func reloadFinished(_ snapshot: HealthSnapshot, note: String?) -> NotifyMessage {
        reloadNote = note
        let status = statusLine(snapshot)
        lastStatus = status
        return NotifyMessage.ready.merging(.status(status))
    }

    private func statusLine(_ snapshot: HealthSnapshot) -> String {
        StatusLine.describe(snapshot) + (reloadNote.map { "; \($0)" } ?? "")
    }

    private mutating func message(for snapshot: HealthSnapshot) -> NotifyMessage? {
        let status = statusLine(snapshot)
        var message: NotifyMessage?
        if !sentReady, listening, !snapshot.draining, isReady(snapshot) {
            sentReady = true
            message = .ready
        }
        if status != lastStatus {
            lastStatus = status
            message = (message ?? NotifyMessage(fields: [])).merging(.status(status))
        }
        return message
    }

    private func isReady(_ snapshot: HealthSnapshot) -> Bool {
        switch readyWhen {
        case .started: return true
        case .ready: return snapshot.verdict(for: .readiness).status.isHealthy
        }
    }
}
