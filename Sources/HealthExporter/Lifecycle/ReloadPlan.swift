/// What a reload changes, worked out once before anything is touched and
/// handed to everyone who acts on it: the ``CheckFactory`` (which instances
/// and connections survive), the scheduler (which loops stop and start), the
/// monitor (which states survive) and the metrics (which series go). None of
/// them compares check lists again.
///
/// Checks are matched by name: equal configuration means unchanged (its
/// state, thresholds' progress and connection survive). Settings that only
/// a restart can apply (the listening socket, limits, logging, drain, notify,
/// admin, detail exposure and the gRPC server) are listed so the operator is told, not ignored.
public struct ReloadPlan: Sendable, Equatable, CustomStringConvertible {
    public let added: [String]
    public let removed: [String]
    public let changed: [String]
    public let unchanged: [String]
    /// Top-level keys whose new values take effect only after a restart.
    public let needsRestart: [String]
    /// The new check list, in configuration order.
    public let checks: [CheckConfig]
    private let kept: Set<String>

    /// A plan for the checks alone (library mode, where there is no file).
    public init(from old: [CheckConfig], to new: [CheckConfig]) {
        self.init(old, new, needsRestart: [])
    }

    public init(from old: HealthExporterConfig, to new: HealthExporterConfig) {
        var needsRestart: [String] = []
        if old.listen != new.listen { needsRestart.append("listen") }
        if old.root != new.root { needsRestart.append("root") }
        if old.limits != new.limits { needsRestart.append("limits") }
        if old.log != new.log { needsRestart.append("log") }
        if old.drain != new.drain { needsRestart.append("drain") }
        if old.notify != new.notify { needsRestart.append("notify") }
        if old.admin != new.admin { needsRestart.append("admin") }
        if old.expose != new.expose { needsRestart.append("expose") }
        if old.grpc != new.grpc { needsRestart.append("grpc") }
        self.init(old.checks, new.checks, needsRestart: needsRestart)
    }

    private init(_ old: [CheckConfig], _ new: [CheckConfig], needsRestart: [String]) {
        let oldByName = Dictionary(old.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newNames = Set(new.map(\.name))
        added = new.filter { oldByName[$0.name] == nil }.map(\.name)
        changed = new.filter { check in oldByName[check.name].map { $0 != check } ?? false }.map(\.name)
        unchanged = new.filter { oldByName[$0.name] == $0 }.map(\.name)
        removed = old.map(\.name).filter { !newNames.contains($0) }
        kept = Set(unchanged)
        checks = new
        self.needsRestart = needsRestart
    }

    /// Whether the check named `name` keeps its state, loop and connection.
    public func keeps(_ name: String) -> Bool {
        kept.contains(name)
    }

    /// Checks whose old instance, loop and series end: removed and changed.
    public var retired: [String] { removed + changed }

    /// "checks: 1 added (cache), 1 changed (database), 0 removed, 2 unchanged".
    public var description: String {
        func part(_ names: [String], _ word: String) -> String {
            names.isEmpty ? "0 \(word)" : "\(names.count) \(word) (\(names.joined(separator: ", ")))"
        }
        return "checks: \(part(added, "added")), \(part(changed, "changed")), \(part(removed, "removed")), \(unchanged.count) unchanged"
    }
}
