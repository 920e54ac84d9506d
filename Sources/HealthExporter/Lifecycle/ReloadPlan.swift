/// What a reload changes, worked out before anything is touched.
///
/// Checks are matched by name: equal configuration means unchanged (its
/// state, thresholds' progress and connection survive). Settings that only
/// a restart can apply (the listening socket, limits, logging, drain, notify,
/// admin and detail exposure) are listed so the operator is told, not ignored.
public struct ReloadPlan: Sendable, Equatable, CustomStringConvertible {
    public let added: [String]
    public let removed: [String]
    public let changed: [String]
    public let unchanged: [String]
    /// Top-level keys whose new values take effect only after a restart.
    public let needsRestart: [String]

    public init(from old: HealthExporterConfig, to new: HealthExporterConfig) {
        let oldByName = Dictionary(old.checks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newNames = Set(new.checks.map(\.name))
        added = new.checks.filter { oldByName[$0.name] == nil }.map(\.name)
        changed = new.checks.filter { check in oldByName[check.name].map { $0 != check } ?? false }.map(\.name)
        unchanged = new.checks.filter { oldByName[$0.name] == $0 }.map(\.name)
        removed = old.checks.map(\.name).filter { !newNames.contains($0) }
        var needsRestart: [String] = []
        if old.listen != new.listen { needsRestart.append("listen") }
        if old.root != new.root { needsRestart.append("root") }
        if old.limits != new.limits { needsRestart.append("limits") }
        if old.log != new.log { needsRestart.append("log") }
        if old.drain != new.drain { needsRestart.append("drain") }
        if old.notify != new.notify { needsRestart.append("notify") }
        if old.admin != new.admin { needsRestart.append("admin") }
        if old.expose != new.expose { needsRestart.append("expose") }
        self.needsRestart = needsRestart
    }

    /// "checks: 1 added (cache), 1 changed (database), 0 removed, 2 unchanged".
    public var description: String {
        func part(_ names: [String], _ word: String) -> String {
            names.isEmpty ? "0 \(word)" : "\(names.count) \(word) (\(names.joined(separator: ", ")))"
        }
        return "checks: \(part(added, "added")), \(part(changed, "changed")), \(part(removed, "removed")), \(unchanged.count) unchanged"
    }
}
