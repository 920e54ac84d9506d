import Telemetry
import Yams

/// A YAML node on its way to becoming a configuration value, carrying what an
/// error about it must say: the configuration's source, the node's position,
/// and a label naming the value (`drain.delay`, `checks[1] "cache": interval`).
struct ConfigNode {
    let node: Node
    let label: String
    let source: String

    func error(_ code: ConfigError.Code, _ problem: String) -> ConfigError {
        ConfigError(
            code: code,
            message: label.isEmpty ? problem : "\(label) \(problem)",
            source: source,
            line: node.mark.map { $0.line },
            column: node.mark.map { $0.column }
        )
    }

    /// The label of a value under this one.
    func childLabel(_ key: String) -> String {
        if label.isEmpty { return key }
        if label.hasSuffix(":") { return "\(label) \(key)" }
        return "\(label).\(key)"
    }

    func relabeled(_ label: String) -> ConfigNode {
        ConfigNode(node: node, label: label, source: source)
    }

    /// True for `~`, `null` and an empty value (`key:`): treated as absent.
    var isNull: Bool {
        if case .scalar(let scalar) = node {
            return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        }
        return false
    }

    func requireMapping() throws(ConfigError) {
        guard case .mapping = node else {
            throw error(.wrongType, "must be a mapping of keys to values, not \(shapeName)")
        }
    }

    func mapping(allowedKeys: [String]) throws(ConfigError) -> ConfigMapping {
        try requireMapping()
        guard case .mapping(let mapping) = node else { return ConfigMapping(owner: self, entries: [:]) }
        var entries: [String: ConfigNode] = [:]
        for (keyNode, valueNode) in mapping {
            let keyReader = ConfigNode(node: keyNode, label: label, source: source)
            guard case .scalar(let keyScalar) = keyNode else {
                throw keyReader.error(.wrongType, "has a key that is not a plain name")
            }
            let key = keyScalar.string
            guard allowedKeys.contains(key) else {
                let hint = ConfigNode.closest(to: key, among: allowedKeys).map { " (did you mean \"\($0)\"?)" } ?? ""
                throw ConfigNode(node: keyNode, label: "", source: source).error(
                    .unknownKey,
                    "\(label.isEmpty ? "" : label.hasSuffix(":") ? label + " " : label + ": ")unknown key \(JSONText.quoted(key))\(hint); known keys: \(allowedKeys.joined(separator: ", "))"
                )
            }
            entries[key] = ConfigNode(node: valueNode, label: childLabel(key), source: source)
        }
        return ConfigMapping(owner: self, entries: entries)
    }

    /// The value under `key` of a mapping, without checking the other keys:
    /// for reading the fields that decide how to read the rest.
    func peek(_ key: String) -> ConfigNode? {
        guard case .mapping(let mapping) = node else { return nil }
        for (keyNode, valueNode) in mapping where keyNode.scalar?.string == key {
            let value = ConfigNode(node: valueNode, label: childLabel(key), source: source)
            return value.isNull ? nil : value
        }
        return nil
    }

    func sequence() throws(ConfigError) -> [ConfigNode] {
        guard case .sequence(let sequence) = node else {
            throw error(.wrongType, "must be a list, not \(shapeName)")
        }
        return sequence.enumerated().map { index, element in
            ConfigNode(node: element, label: "\(label)[\(index)]", source: source)
        }
    }

    /// A list, or a single scalar read as a one-element list (`probes: readiness`).
    func stringList() throws(ConfigError) -> [(String, ConfigNode)] {
        if case .scalar = node { return [(try string(), self)] }
        var result: [(String, ConfigNode)] = []
        for element in try sequence() {
            result.append((try element.string(), element))
        }
        return result
    }

    /// A mapping of names to single values (`headers:`), in file order;
    /// each value's label names its key.
    func stringMapping() throws(ConfigError) -> [(String, ConfigNode)] {
        try requireMapping()
        guard case .mapping(let mapping) = node else { return [] }
        var result: [(String, ConfigNode)] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw ConfigNode(node: keyNode, label: label, source: source).error(.wrongType, "has a key that is not a plain name")
            }
            result.append((keyScalar.string, ConfigNode(node: valueNode, label: childLabel(keyScalar.string), source: source)))
        }
        return result
    }

    func string() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node else {
            throw error(.wrongType, "must be a single value, not \(shapeName)")
        }
        return scalar.string
    }

    func nonEmptyString() throws(ConfigError) -> String {
        let value = try string()
        guard !value.trimmingSpaces().isEmpty else { throw error(.invalidValue, "must not be empty") }
        return value
    }

    func bool() throws(ConfigError) -> Bool {
        let text = try string()
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(.invalidValue, "\(JSONText.quoted(text)) is not true or false")
        }
    }

    func integer(atLeast minimum: Int) throws(ConfigError) -> Int {
        let text = try string()
        guard let value = Int(text.trimmingSpaces()) else {
            throw error(.invalidValue, "\(JSONText.quoted(text)) is not a whole number")
        }
        guard value >= minimum else {
            throw error(.invalidValue, "\(value) must be at least \(minimum)")
        }
        return value
    }

    /// The secret in the file this value names: read at load, trailing newline
    /// trimmed, never empty. Errors name the path, never the content.
    func secretFromFile() throws(ConfigError) -> (path: String, secret: Secret) {
        let path = try nonEmptyString()
        let text: String
        do {
            text = try TextFile.read(path: path)
        } catch {
            throw self.error(.unreadable, "\(JSONText.quoted(path)) cannot be read: \(error)")
        }
        var secret = Substring(text)
        while let last = secret.last, last == "\n" || last == "\r" { secret = secret.dropLast() }
        guard !secret.isEmpty else {
            throw self.error(.invalidValue, "\(JSONText.quoted(path)) is empty; put the secret in it")
        }
        return (path, Secret(String(secret)))
    }

    func positiveDuration(allowingZero: Bool = false) throws(ConfigError) -> Duration {
        let text = try string()
        guard let value = ConfigValueParsers.duration(text) else {
            let hint = Int(text.trimmingSpaces()).map { " (write it with a unit, e.g. \($0)s)" } ?? " (use e.g. 500ms, 2s, 1m)"
            throw error(.invalidValue, "\(JSONText.quoted(text)) is not a duration\(hint)")
        }
        guard value > .zero || (allowingZero && value == .zero) else {
            throw error(.invalidValue, "\(JSONText.quoted(text)) must be a \(allowingZero ? "non-negative" : "positive") duration")
        }
        return value
    }

    func byteSize(atLeast minimum: Int64) throws(ConfigError) -> Int64 {
        let text = try string()
        guard let value = ConfigValueParsers.byteSize(text) else {
            throw error(.invalidValue, "\(JSONText.quoted(text)) is not a size (use e.g. 8KiB, 512MiB, 1GiB)")
        }
        guard value >= minimum else {
            throw error(.invalidValue, "\(JSONText.quoted(text)) must be at least \(minimum) bytes")
        }
        return value
    }

    func oneOf<Value: RawRepresentable & CaseIterable>(_: Value.Type) throws(ConfigError) -> Value
    where Value.RawValue == String {
        let text = try string()
        guard let value = Value(rawValue: text) else {
            let choices = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(.invalidValue, "\(JSONText.quoted(text)) is not one of: \(choices)")
        }
        return value
    }

    private var shapeName: String {
        switch node {
        case .scalar: return "a single value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The allowed key nearest to a misspelt one, if it is close enough to be a typo.
    static func closest(to key: String, among candidates: [String]) -> String? {
        let lowered = key.lowercased()
        let scored = candidates.map { ($0, editDistance(Array(lowered), Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, key.count / 3) else { return nil }
        return best.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// The entries of a YAML mapping whose keys were checked against a known set.
struct ConfigMapping {
    let owner: ConfigNode
    let entries: [String: ConfigNode]

    /// The value under `key`, or nil when absent or null.
    subscript(_ key: String) -> ConfigNode? {
        guard let entry = entries[key], !entry.isNull else { return nil }
        return entry
    }

    func required(_ key: String) throws(ConfigError) -> ConfigNode {
        guard let entry = self[key] else {
            throw owner.error(.missingKey, "is missing the required key \(JSONText.quoted(key))")
        }
        return entry
    }
}
