import Telemetry

/// Reads one entry of `checks:`; the common keys first, then the options of its kind.
enum CheckConfigParser {
    static let commonKeys = [
        "name", "kind", "probes", "interval", "timeout", "failureThreshold", "successThreshold", "critical",
    ]

    static func parse(_ node: ConfigNode) throws(ConfigError) -> CheckConfig {
        // Name and kind first: later errors name the check, and the kind decides the allowed keys.
        try node.requireMapping()
        guard let nameNode = node.peek("name") else {
            throw node.error(.missingKey, "is missing the required key \"name\"")
        }
        let name = try nameNode.string()
        guard CheckConfig.isValidName(name) else {
            throw nameNode.error(
                .invalidValue,
                "\(JSONText.quoted(name)) is not a valid check name (lowercase letters, digits, '_', '.', '-'; starting with a letter or digit)"
            )
        }
        guard !CheckKinds.reservedNames.contains(name) else {
            throw nameNode.error(.invalidValue, "\(JSONText.quoted(name)) is reserved for the built-in heartbeat check; choose another name")
        }
        let check = node.relabeled("\(node.label.dropLast()) \(JSONText.quoted(name)):")
        guard let kindNode = check.peek("kind") else {
            throw check.error(.missingKey, "is missing the required key \"kind\"")
        }
        let kindName = try kindNode.string()
        guard let kind = CheckKinds.named(kindName) else {
            throw kindNode.error(
                .unsupportedKind,
                "\(JSONText.quoted(kindName)) is not a supported check kind (supported: \(CheckKinds.configurable.map(\.name).joined(separator: ", ")))"
            )
        }
        let keys = try check.mapping(allowedKeys: commonKeys + kind.optionKeys)

        var config = CheckConfig(name: name, kind: try kind.parse(keys))
        if let probes = keys["probes"] { config.probes = try parseProbes(probes) }
        if let interval = keys["interval"] { config.interval = try interval.positiveDuration() }
        if let timeout = keys["timeout"] { config.timeout = try timeout.positiveDuration() }
        if let value = keys["failureThreshold"] { config.failureThreshold = try value.integer(atLeast: 1) }
        if let value = keys["successThreshold"] { config.successThreshold = try value.integer(atLeast: 1) }
        if let value = keys["critical"] { config.critical = try value.bool() }
        if config.kind.isNetwork, config.probes.contains(.liveness) {
            throw (keys["probes"] ?? check).error(
                .invalidValue,
                "a \(kindName) check cannot be on the liveness probe: when the dependency blips, every pod would fail liveness and restart at once (a restart storm); put it on readiness"
            )
        }
        return config
    }

    private static func parseProbes(_ node: ConfigNode) throws(ConfigError) -> Set<Probe> {
        var probes: Set<Probe> = []
        for (text, element) in try node.stringList() {
            guard let probe = Probe(rawValue: text) else {
                throw element.error(
                    .invalidValue,
                    "\(JSONText.quoted(text)) is not a probe (use liveness, readiness, startup)"
                )
            }
            probes.insert(probe)
        }
        guard !probes.isEmpty else {
            throw node.error(.invalidValue, "must name at least one probe (liveness, readiness, startup)")
        }
        return probes
    }
}
