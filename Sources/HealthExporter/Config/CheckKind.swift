/// What a check does, with the options of that kind.
public enum CheckKind: Sendable, Equatable {
    /// A flag flipped by the admin routes (fault drills, and the seed's demo).
    case simulated(SimulatedOptions)
    /// A TCP connect to `address`.
    case tcp(address: ListenAddress)
    /// An HTTP(S) GET with an expected status range and optional body text.
    case http(HTTPOptions)
    /// Connect (pooled) and `SELECT 1`.
    case postgres(PostgresOptions)
    /// RESP `PING` → `PONG`, after `AUTH` when a password is set.
    case redis(RedisOptions)
    /// The host name resolves.
    case dns(host: String)
    /// Free bytes on the file system of `path`, and optionally that it is writable.
    case disk(DiskOptions)
    /// `path` exists, and optionally was modified within `maxAge`.
    case file(FileOptions)
    /// A check defined in code (``ClosureHealthCheck`` or your own ``HealthCheck``);
    /// library mode only, never from YAML.
    case custom

    public struct SimulatedOptions: Sendable, Equatable {
        /// Shown as the failure's output, and as `/ready`'s `detail` (the seed's
        /// "Database not available").
        public var detail: String?
        /// Whether the flag starts failed. Default false (healthy).
        public var startFailing: Bool

        public init(detail: String? = nil, startFailing: Bool = false) {
            self.detail = detail
            self.startFailing = startFailing
        }
    }

    public struct HTTPOptions: Sendable, Equatable {
        /// `http://` or `https://`; userinfo is refused at load (it would leak into logs).
        public var url: String
        public var expectStatus: ClosedRange<Int>
        public var bodyContains: String?
        /// TLS certificate verification; on unless explicitly turned off.
        public var tlsVerify: Bool

        public init(url: String, expectStatus: ClosedRange<Int> = 200...399, bodyContains: String? = nil, tlsVerify: Bool = true) {
            self.url = url
            self.expectStatus = expectStatus
            self.bodyContains = bodyContains
            self.tlsVerify = tlsVerify
        }
    }

    public struct PostgresOptions: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String
        public var database: String
        public var password: Secret?

        public init(host: String, port: Int = 5432, user: String, database: String, password: Secret? = nil) {
            self.host = host
            self.port = port
            self.user = user
            self.database = database
            self.password = password
        }

        /// The connection as a URL without the password, safe to show.
        public var redactedURL: String { "postgres://\(user)@\(ListenAddress(host: host, port: port))/\(database)" }
    }

    public struct RedisOptions: Sendable, Equatable {
        public var address: ListenAddress
        public var password: Secret?

        public init(address: ListenAddress, password: Secret? = nil) {
            self.address = address
            self.password = password
        }
    }

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

    public struct FileOptions: Sendable, Equatable {
        public var path: String
        public var maxAge: Duration?

        public init(path: String, maxAge: Duration? = nil) {
            self.path = path
            self.maxAge = maxAge
        }
    }

    /// The kind's name as written in `kind:`.
    public var name: String {
        switch self {
        case .simulated: return "simulated"
        case .tcp: return "tcp"
        case .http: return "http"
        case .postgres: return "postgres"
        case .redis: return "redis"
        case .dns: return "dns"
        case .disk: return "disk"
        case .file: return "file"
        case .custom: return "custom"
        }
    }

    /// Whether the check reaches over the network: such checks may not be on
    /// the liveness probe (a dependency outage would restart every pod at once).
    public var isNetwork: Bool {
        switch self {
        case .tcp, .http, .postgres, .redis, .dns: return true
        case .simulated, .disk, .file, .custom: return false
        }
    }
}
