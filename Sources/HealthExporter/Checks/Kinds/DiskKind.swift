extension CheckKind {
    /// Free bytes on the file system of `path`, and optionally that it is
    /// writable: `kind: disk`, options `path`, `minFree`, `writable`.
    public struct DiskOptions: Sendable, Equatable {
        public var path: String
        public var minFree: Int64?
        public var writable: Bool

        public init(path: String, minFree: Int64? = nil, writable: Bool = false) {
            self.path = path
            self.minFree = minFree
            self.writable = writable
        }
    }

    /// A disk check on the file system holding `options.path`.
    public static func disk(_ options: DiskOptions) -> CheckKind {
        CheckKind(options)
    }
}

extension CheckKind.DiskOptions: ConfigurableCheckKind {
    static let name = "disk"
    static let optionKeys = ["path", "minFree", "writable"]

    static func parse(_ keys: ConfigMapping) throws(ConfigError) -> Self {
        var options = Self(path: try keys.required("path").nonEmptyString())
        if let minFree = keys["minFree"] { options.minFree = try minFree.byteSize(atLeast: 0) }
        if let writable = keys["writable"] { options.writable = try writable.bool() }
        return options
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        DiskCheck(options: self)
    }
}
