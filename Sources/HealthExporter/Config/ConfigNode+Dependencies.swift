import Foundation
import Telemetry

/// Values that several check kinds read the same way.
extension ConfigNode {
    /// A dependency's `host:port`; `example` shows the expected form in the error.
    func hostPort(example: String) throws(ConfigError) -> HostPort {
        let text = try string()
        guard let address = HostPort(parsing: text), address.port > 0 else {
            throw error(.invalidValue, "\(JSONText.quoted(text)) is not host:port (e.g. \(example))")
        }
        return address
    }
}

extension ConfigMapping {
    /// A password from `passwordFile` (trailing newline trimmed) or
    /// `passwordEnv`; never from the YAML itself.
    func password() throws(ConfigError) -> Secret? {
        if let file = self["passwordFile"] {
            return try file.secretFromFile().secret
        }
        if let variable = self["passwordEnv"] {
            let name = try variable.nonEmptyString()
            guard let value = ProcessInfo.processInfo.environment[name] else {
                throw variable.error(.missingKey, "names the environment variable \(JSONText.quoted(name)), which is not set")
            }
            return Secret(value)
        }
        return nil
    }
}
