extension CheckKind {
    /// `path` exists, and optionally was modified within `maxAge`:
    /// `kind: file`, options `path`, `maxAge`.
    public struct FileOptions: Sendable, Equatable {
        public var path: String
        public var maxAge: Duration?

        public init(path: String, maxAge: Duration? = nil) {
            self.path = path
            self.maxAge = maxAge
        }
    }

    /// A file check on `options.path`.
    public static func file(_ options: FileOptions) -> CheckKind {
        CheckKind(options)
    }
}

extension CheckKind.FileOptions: ConfigurableCheckKind {
    static let name = "file"
    static let optionKeys = ["path", "maxAge"]

    static func parse(_ keys: ConfigMapping) throws(ConfigError) -> Self {
        var options = Self(path: try keys.required("path").nonEmptyString())
        if let maxAge = keys["maxAge"] { options.maxAge = try maxAge.positiveDuration() }
        return options
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        FileCheck(options: self)
    }
}
