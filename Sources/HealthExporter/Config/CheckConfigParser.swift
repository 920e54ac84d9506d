import Foundation
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
        guard !reservedNames.contains(name) else {
            throw nameNode.error(.invalidValue, "\(JSONText.quoted(name)) is reserved for the built-in heartbeat check; choose another name")
        }
        let check = node.relabeled("\(node.label.dropLast()) \(JSONText.quoted(name)):")
        guard let kindNode = check.peek("kind") else {
            throw check.error(.missingKey, "is missing the required key \"kind\"")
        }
        let kindName = try kindNode.string()
        guard let kindKeys = kindOptions.first(where: { $0.kind == kindName })?.keys else {
            throw kindNode.error(
                .unsupportedKind,
                "\(JSONText.quoted(kindName)) is not a supported check kind (supported: \(kindOptions.map(\.kind).joined(separator: ", ")))"
            )
        }
        let keys = try check.mapping(allowedKeys: commonKeys + kindKeys)

        var config = CheckConfig(name: name, kind: try kind(kindName, keys))
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

    /// Every kind a configuration may name, in the order errors list them, with its option keys.
    private static let kindOptions: [(kind: String, keys: [String])] = [
        ("simulated", ["detail", "startFailing"]),
        ("tcp", ["address"]),
        ("http", ["url", "expectStatus", "bodyContains", "tlsVerify"]),
        ("postgres", ["url", "passwordFile", "passwordEnv"]),
        ("redis", ["address", "passwordFile", "passwordEnv"]),
        ("dns", ["host"]),
        ("disk", ["path", "minFree", "writable"]),
        ("file", ["path", "maxAge"]),
    ]

    /// Names the service uses itself.
    static let reservedNames: Set<String> = [MonitorState.heartbeatCheckName]

    private static func kind(_ name: String, _ keys: ConfigMapping) throws(ConfigError) -> CheckKind {
        switch name {
        case "simulated":
            var options = CheckKind.SimulatedOptions()
            if let detail = keys["detail"] { options.detail = try detail.nonEmptyString() }
            if let startFailing = keys["startFailing"] { options.startFailing = try startFailing.bool() }
            return .simulated(options)
        case "tcp":
            return .tcp(address: try address(keys.required("address")))
        case "redis":
            return .redis(.init(address: try address(keys.required("address")), password: try password(keys)))
        case "dns":
            return .dns(host: try keys.required("host").nonEmptyString())
        case "disk":
            var options = CheckKind.DiskOptions(path: try keys.required("path").nonEmptyString())
            if let minFree = keys["minFree"] { options.minFree = try minFree.byteSize(atLeast: 0) }
            if let writable = keys["writable"] { options.writable = try writable.bool() }
            return .disk(options)
        case "file":
            var options = CheckKind.FileOptions(path: try keys.required("path").nonEmptyString())
            if let maxAge = keys["maxAge"] { options.maxAge = try maxAge.positiveDuration() }
            return .file(options)
        case "http":
            return .http(try httpOptions(keys))
        case "postgres":
            return .postgres(try postgresOptions(keys))
        default:
            preconditionFailure("kindOptions and kind(_:_:) disagree about \(name)")
        }
    }

    private static func address(_ node: ConfigNode) throws(ConfigError) -> ListenAddress {
        let text = try node.string()
        guard let address = ListenAddress(parsing: text), address.port > 0 else {
            throw node.error(.invalidValue, "\(JSONText.quoted(text)) is not host:port (e.g. 127.0.0.1:6379)")
        }
        return address
    }

    /// A password from `passwordFile` (trailing newline trimmed) or `passwordEnv`; never from the YAML itself.
    private static func password(_ keys: ConfigMapping) throws(ConfigError) -> Secret? {
        if let file = keys["passwordFile"] {
            return try file.secretFromFile().secret
        }
        if let variable = keys["passwordEnv"] {
            let name = try variable.nonEmptyString()
            guard let value = ProcessInfo.processInfo.environment[name] else {
                throw variable.error(.missingKey, "names the environment variable \(JSONText.quoted(name)), which is not set")
            }
            return Secret(value)
        }
        return nil
    }

    private static func httpOptions(_ keys: ConfigMapping) throws(ConfigError) -> CheckKind.HTTPOptions {
        let urlNode = try keys.required("url")
        let text = try urlNode.nonEmptyString()
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.host?.isEmpty == false
        else {
            throw urlNode.error(.invalidValue, "\(JSONText.quoted(text)) is not an http:// or https:// URL")
        }
        guard components.user == nil, components.password == nil else {
            throw urlNode.error(.invalidValue, "must not carry user:password (it would show in logs); send credentials another way")
        }
        var options = CheckKind.HTTPOptions(url: text)
        if let status = keys["expectStatus"] {
            let raw = try status.string()
            let parts = raw.split(separator: "-").map { Int($0.trimmingSpaces()) }
            guard (1...2).contains(parts.count), let low = parts.first ?? nil, let high = parts.last ?? nil,
                (100...599).contains(low), (100...599).contains(high), low <= high
            else {
                throw status.error(.invalidValue, "\(JSONText.quoted(raw)) is not a status or range (e.g. 200, 200-399)")
            }
            options.expectStatus = low...high
        }
        if let body = keys["bodyContains"] { options.bodyContains = try body.nonEmptyString() }
        if let verify = keys["tlsVerify"] { options.tlsVerify = try verify.bool() }
        return options
    }

    private static func postgresOptions(_ keys: ConfigMapping) throws(ConfigError) -> CheckKind.PostgresOptions {
        let urlNode = try keys.required("url")
        let text = try urlNode.nonEmptyString()
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? ""),
            let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty
        else {
            throw urlNode.error(.invalidValue, "is not postgres://user@host[:port]/database (the value is not shown: it may hold a password)")
        }
        guard components.password == nil else {
            throw urlNode.error(.invalidValue, "must not carry a password (it would show wherever the URL does); use passwordFile or passwordEnv")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        return CheckKind.PostgresOptions(
            host: host, port: components.port ?? 5432, user: user, database: database.isEmpty ? user : database,
            password: try password(keys))
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
