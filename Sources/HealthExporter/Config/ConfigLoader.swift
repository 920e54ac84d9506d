import Logging
import Telemetry
import Yams

/// Turns YAML into a validated ``HealthExporterConfig``.
///
/// Unknown keys are refused (a typo must not silently fall back to a default),
/// every value is range-checked, and the first problem is thrown as a
/// ``ConfigError`` naming the source, line, key path and offending value.
public enum ConfigLoader {
    /// Reads and validates the configuration file at `path`.
    /// - Throws: ``ConfigError`` (`unreadable`, `invalidYAML`, or any validation code).
    public static func load(path: String) throws(ConfigError) -> HealthExporterConfig {
        let text: String
        do {
            text = try TextFile.read(path: path)
        } catch {
            throw ConfigError(code: .unreadable, message: "cannot read the configuration: \(error)", source: path)
        }
        return try parse(yaml: text, source: path)
    }

    /// Validates YAML text; `source` names it in errors (a path, or `<built-in demo>`).
    /// - Throws: ``ConfigError``.
    public static func parse(yaml: String, source: String) throws(ConfigError) -> HealthExporterConfig {
        let root: Node?
        do {
            // The basic resolver: values are typed by the config schema, not by YAML tags,
            // and the default one compiles a dozen regular expressions on first use.
            root = try Yams.compose(yaml: yaml, .basic)
        } catch {
            throw yamlError(error, source: source)
        }
        guard let root else { return HealthExporterConfig() }
        let document = ConfigNode(node: root, label: "", source: source)
        if document.isNull { return HealthExporterConfig() }
        let top = try document.mapping(allowedKeys: [
            "listen", "root", "admin", "drain", "notify", "log", "expose", "limits", "grpc", "checks",
        ])

        var config = HealthExporterConfig()
        if let listen = top["listen"] {
            config.listen = try listenAddress(listen, example: "127.0.0.1:8000, [::1]:8000, 0.0.0.0:8000")
        }
        if let root = top["root"] {
            config.root = try root.oneOf(HealthExporterConfig.Root.self)
        }
        if let drain = top["drain"] {
            let keys = try drain.mapping(allowedKeys: ["delay", "timeout"])
            if let delay = keys["delay"] { config.drain.delay = try delay.positiveDuration(allowingZero: true) }
            if let timeout = keys["timeout"] { config.drain.timeout = try timeout.positiveDuration() }
            guard config.drain.delay <= config.drain.timeout else {
                throw drain.error(
                    .invalidValue,
                    "delay (\(ConfigValueParsers.format(config.drain.delay))) must not exceed timeout (\(ConfigValueParsers.format(config.drain.timeout)))"
                )
            }
        }
        if let notify = top["notify"] {
            let keys = try notify.mapping(allowedKeys: ["readyWhen"])
            if let readyWhen = keys["readyWhen"] { config.notify.readyWhen = try readyWhen.oneOf(HealthExporterConfig.Notify.ReadyWhen.self) }
        }
        if let log = top["log"] {
            let keys = try log.mapping(allowedKeys: ["format", "level"])
            if let format = keys["format"] { config.log.format = try format.oneOf(LogFormat.self) }
            if let level = keys["level"] { config.log.level = try level.oneOf(Logger.Level.self) }
        }
        var detailsNode: ConfigNode?
        if let expose = top["expose"] {
            let keys = try expose.mapping(allowedKeys: ["details"])
            detailsNode = keys["details"]
            if let details = detailsNode { config.expose.details = try details.oneOf(HealthExporterConfig.Expose.Details.self) }
        }
        if let limits = top["limits"] {
            config.limits = try parseLimits(limits)
        }
        if let admin = top["admin"] {
            config.admin = try parseAdmin(admin, listen: config.listen)
        }
        if let grpc = top["grpc"] {
            config.grpc = try parseGRPC(grpc, listen: config.listen)
        }
        if let checks = top["checks"] {
            config.checks = try parseChecks(checks)
            if config.grpc != nil {
                try refuseProbeServiceNames(config.checks, node: checks)
            }
        }
        if config.expose.details == .authorized, config.admin.token == nil, let detailsNode {
            throw detailsNode.error(.missingKey, "\"authorized\" needs admin.tokenFile: detail is shown only to requests bearing the admin token")
        }
        return config
    }

    private static func parseLimits(_ node: ConfigNode) throws(ConfigError) -> HealthExporterConfig.Limits {
        let keys = try node.mapping(allowedKeys: [
            "maxConnections", "idleTimeout", "headerTimeout", "bodyTimeout", "maxHeaderBytes", "maxBodyBytes", "ioThreads",
            "releaseStartupPages",
        ])
        var limits = HealthExporterConfig.Limits()
        if let value = keys["maxConnections"] { limits.maxConnections = try value.integer(atLeast: 1) }
        if let value = keys["idleTimeout"] { limits.idleTimeout = try value.positiveDuration() }
        if let value = keys["headerTimeout"] { limits.headerTimeout = try value.positiveDuration() }
        if let value = keys["bodyTimeout"] { limits.bodyTimeout = try value.positiveDuration() }
        if let value = keys["maxHeaderBytes"] { limits.maxHeaderBytes = Int(try value.byteSize(atLeast: 256)) }
        if let value = keys["maxBodyBytes"] { limits.maxBodyBytes = Int(try value.byteSize(atLeast: 0)) }
        if let value = keys["ioThreads"] { limits.ioThreads = try value.integer(atLeast: 1) }
        if let value = keys["releaseStartupPages"] { limits.releaseStartupPages = try value.positiveDuration(allowingZero: true) }
        return limits
    }

    private static func parseAdmin(_ node: ConfigNode, listen: ListenAddress) throws(ConfigError) -> HealthExporterConfig.Admin {
        let keys = try node.mapping(allowedKeys: ["enabled", "tokenFile"])
        var admin = HealthExporterConfig.Admin()
        if let enabled = keys["enabled"] { admin.enabled = try enabled.bool() }
        if let tokenFile = keys["tokenFile"] {
            let (path, token) = try tokenFile.secretFromFile()
            admin.tokenFile = path
            admin.token = token
        }
        if admin.enabled && !listen.isLoopback && admin.token == nil {
            throw node.error(
                .missingKey,
                "needs tokenFile: admin routes are enabled and listen (\(listen)) is reachable off this machine"
            )
        }
        return admin
    }

    /// A listening `host:port` (port 0 allowed: the kernel picks); `example` shows the form in the error.
    private static func listenAddress(_ node: ConfigNode, example: String) throws(ConfigError) -> ListenAddress {
        let text = try node.string()
        guard let address = ListenAddress(parsing: text) else {
            throw node.error(.invalidValue, "\(JSONText.quoted(text)) is not host:port (e.g. \(example))")
        }
        return address
    }

    private static func parseGRPC(_ node: ConfigNode, listen: ListenAddress) throws(ConfigError) -> HealthExporterConfig.GRPC {
        let keys = try node.mapping(allowedKeys: ["listen", "maxConnections", "maxWatchers"])
        guard let listenNode = keys["listen"] else {
            throw node.error(.missingKey, "listen is required (e.g. grpc: {listen: 127.0.0.1:8001}); leave grpc out to serve no gRPC")
        }
        let address = try listenAddress(listenNode, example: "127.0.0.1:8001, 0.0.0.0:8001")
        if address.port != 0, address.port == listen.port, address.host == listen.host {
            throw listenNode.error(.invalidValue, "\(JSONText.quoted(address.description)) is the HTTP listen address too; gRPC needs a port of its own")
        }
        var grpc = HealthExporterConfig.GRPC(listen: address)
        if let value = keys["maxConnections"] { grpc.maxConnections = try value.integer(atLeast: 1) }
        if let value = keys["maxWatchers"] { grpc.maxWatchers = try value.integer(atLeast: 0) }
        return grpc
    }

    /// gRPC answers `readiness`, `liveness` and `startup` as the probes; a
    /// check of that name would be unreachable there, so it is refused.
    private static func refuseProbeServiceNames(_ checks: [CheckConfig], node: ConfigNode) throws(ConfigError) {
        for (index, check) in checks.enumerated() where HealthExporterConfig.GRPC.probeServiceNames.contains(check.name) {
            throw node.relabeled("checks[\(index)] \(JSONText.quoted(check.name)):").error(
                .invalidValue,
                "name is a gRPC health service of its own (readiness, liveness, startup answer the probes); rename the check or leave grpc out"
            )
        }
    }

    private static func parseChecks(_ node: ConfigNode) throws(ConfigError) -> [CheckConfig] {
        var checks: [CheckConfig] = []
        var firstIndexByName: [String: Int] = [:]
        for (index, element) in try node.sequence().enumerated() {
            let check = try CheckConfigParser.parse(element.relabeled("checks[\(index)]:"))
            if let earlier = firstIndexByName[check.name] {
                throw element.relabeled("checks[\(index)] \(JSONText.quoted(check.name)):").error(
                    .duplicateName,
                    "name is already used by checks[\(earlier)]; check names must be unique"
                )
            }
            firstIndexByName[check.name] = index
            checks.append(check)
        }
        return checks
    }

    private static func yamlError(_ error: any Error, source: String) -> ConfigError {
        guard let yamlError = error as? YamlError else {
            return ConfigError(code: .invalidYAML, message: "invalid YAML: \(error)", source: source)
        }
        switch yamlError {
        case .reader(let problem, let offset, let value, _):
            // Yams's own description quotes the offending line over several lines.
            let at = offset.map { " at byte \($0)" } ?? ""
            return ConfigError(code: .invalidYAML, message: "invalid YAML: \(problem) (character 0x\(String(value, radix: 16)))\(at)", source: source)
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return ConfigError(code: .invalidYAML, message: "invalid YAML: \(detail)", source: source, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(
                code: .invalidYAML,
                message: "invalid YAML: duplicate key \(duplicates.map { JSONText.quoted($0) }.joined(separator: ", ")) in a mapping",
                source: source,
                line: context.mark.line,
                column: context.mark.column
            )
        default:
            return ConfigError(code: .invalidYAML, message: "invalid YAML: \(yamlError)", source: source)
        }
    }
}
