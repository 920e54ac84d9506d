import Logging
import Telemetry

/// The whole service configuration, as loaded from YAML by ``ConfigLoader``.
///
/// Keys are a user-facing contract: new ones may be added, existing ones keep
/// their names. Every field has the default the design documents, so a file
/// need only say what differs.
public struct HealthExporterConfig: Sendable, Equatable {
    /// Where probes, `/metrics` and `/` are served. Default `127.0.0.1:8000`.
    public var listen: ListenAddress
    /// What `GET /` answers. Default ``Root/statusz``.
    public var root: Root
    /// Fault-injection and maintenance routes.
    public var admin: Admin
    /// What happens between SIGTERM and exit.
    public var drain: Drain
    /// When systemd hears `READY=1`.
    public var notify: Notify
    /// Log format and level.
    public var log: Log
    /// Who may see per-check detail (`?verbose`).
    public var expose: Expose
    /// Protective limits of the HTTP server.
    public var limits: Limits
    /// The optional `grpc.health.v1` server; nil (the default) serves no gRPC.
    public var grpc: GRPC?
    /// The dependency checks, in the order probes report them.
    public var checks: [CheckConfig]

    public init(
        listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8000),
        root: Root = .statusz,
        admin: Admin = Admin(),
        drain: Drain = Drain(),
        notify: Notify = Notify(),
        log: Log = Log(),
        expose: Expose = Expose(),
        limits: Limits = Limits(),
        grpc: GRPC? = nil,
        checks: [CheckConfig] = []
    ) {
        self.listen = listen
        self.root = root
        self.admin = admin
        self.drain = drain
        self.notify = notify
        self.log = log
        self.expose = expose
        self.limits = limits
        self.grpc = grpc
        self.checks = checks
    }

    /// `root:` — what `GET /` answers.
    public enum Root: String, Sendable, CaseIterable {
        /// A redirect (307) to the status page at `/statusz`.
        case statusz
        /// The seed app's `{"Hello":"World"}` (the built-in demo), so scripts
        /// written against the seed keep working.
        case hello
    }

    /// `admin:` — routes that change state (`/admin/...` and the seed's `/simulate_*`).
    public struct Admin: Sendable, Equatable {
        /// Off by default: a probe port should not flip checks unless asked to.
        public var enabled: Bool
        /// The file the bearer token was read from; required when listening off loopback.
        public var tokenFile: String?
        /// The token read from ``tokenFile``, trailing newline trimmed.
        public var token: AdminToken?

        public init(enabled: Bool = false, tokenFile: String? = nil, token: AdminToken? = nil) {
            self.enabled = enabled
            self.tokenFile = tokenFile
            self.token = token
        }
    }

    /// `drain:` — after SIGTERM readiness fails at once, traffic drains for
    /// `delay`, and the process exits within `timeout`.
    public struct Drain: Sendable, Equatable {
        public var delay: Duration
        public var timeout: Duration

        public init(delay: Duration = .seconds(5), timeout: Duration = .seconds(25)) {
            self.delay = delay
            self.timeout = timeout
        }
    }

    /// `notify:` — systemd readiness notification.
    public struct Notify: Sendable, Equatable {
        /// `ready`: when readiness first passes; `started`: right after bind.
        public enum ReadyWhen: String, Sendable, CaseIterable {
            case ready
            case started
        }

        public var readyWhen: ReadyWhen

        public init(readyWhen: ReadyWhen = .ready) {
            self.readyWhen = readyWhen
        }
    }

    /// `log:` — format and level; command-line flags override both.
    public struct Log: Sendable, Equatable {
        public var format: LogFormat
        public var level: Logger.Level

        public init(format: LogFormat = .auto, level: Logger.Level = .info) {
            self.format = format
            self.level = level
        }
    }

    /// `expose:` — per-check detail on `?verbose`.
    public struct Expose: Sendable, Equatable {
        /// Who sees per-check detail. Others asking `?verbose` get check
        /// names and pass/fail only ("details withheld").
        public enum Details: String, Sendable, CaseIterable {
            /// Nobody.
            case never
            /// Peers on this machine (local curl, `kubectl port-forward`); the default.
            case loopback
            /// Requests with the admin bearer token (needs `admin.tokenFile`),
            /// like Spring Actuator's `when-authorized`.
            case authorized
            /// Everybody.
            case always
        }

        public var details: Details

        public init(details: Details = .loopback) {
            self.details = details
        }
    }

    /// `limits:` — so a slow or hostile client cannot hurt the probes of others.
    public struct Limits: Sendable, Equatable {
        /// Open connections at most. At the limit a newcomer is admitted by
        /// closing the connection that has made the least progress (no
        /// complete request yet, oldest first), so slow clients cannot lock
        /// the kubelet out.
        public var maxConnections: Int
        /// A connection that sends nothing for this long is closed.
        public var idleTimeout: Duration
        /// A request head not complete this long after its first byte gets
        /// 408 and the connection closes, however many bytes trickle in
        /// (Go's `ReadHeaderTimeout`, nginx's `client_header_timeout`).
        public var headerTimeout: Duration
        /// The same for a request body, from the end of its head.
        public var bodyTimeout: Duration
        /// Request line plus headers beyond this get 431.
        public var maxHeaderBytes: Int
        /// Request bodies beyond this get 413.
        public var maxBodyBytes: Int
        /// Event-loop threads for the probe server and the dependency clients.
        /// One by default: answers come from memory, one loop serves ~100k
        /// requests/s, and a sidecar should leave the other cores to its
        /// application (more loops on two cores measured slower: they fight
        /// the load for the CPU). Applied at start; a reload needs a restart.
        public var ioThreads: Int
        /// This long after start, the binary's and its libraries' read-only
        /// pages that start-up touched (argument and configuration parsing,
        /// the loader's tables) leave the resident set; serving faults back
        /// what it uses. Default 10s; 0s keeps them. Applied at start.
        public var releaseStartupPages: Duration

        public init(
            maxConnections: Int = 1024,
            idleTimeout: Duration = .seconds(60),
            headerTimeout: Duration = .seconds(10),
            bodyTimeout: Duration = .seconds(10),
            maxHeaderBytes: Int = 8 * 1024,
            maxBodyBytes: Int = 64 * 1024,
            ioThreads: Int = 1,
            releaseStartupPages: Duration = .seconds(10)
        ) {
            self.maxConnections = maxConnections
            self.idleTimeout = idleTimeout
            self.headerTimeout = headerTimeout
            self.bodyTimeout = bodyTimeout
            self.maxHeaderBytes = maxHeaderBytes
            self.maxBodyBytes = maxBodyBytes
            self.ioThreads = ioThreads
            self.releaseStartupPages = releaseStartupPages
        }
    }

    /// `grpc:` — a `grpc.health.v1.Health` server answering from the same
    /// snapshot as the HTTP probes (kubelet `grpc:` probes, meshes, load balancers).
    public struct GRPC: Sendable, Equatable {
        /// Service names the server answers besides the checks' own.
        /// A check may not be called one of them while gRPC is on.
        public static let probeServiceNames = ["readiness", "liveness", "startup"]

        /// Where the gRPC server listens (plaintext HTTP/2).
        public var listen: ListenAddress
        /// Open connections at most; a newcomer beyond it is closed at once.
        /// Default 256: gRPC clients keep one connection and multiplex on it.
        public var maxConnections: Int
        /// Open `Watch` streams at most, over all connections; one more is
        /// refused with `RESOURCE_EXHAUSTED`. Default 1024.
        public var maxWatchers: Int

        public init(listen: ListenAddress, maxConnections: Int = 256, maxWatchers: Int = 1024) {
            self.listen = listen
            self.maxConnections = maxConnections
            self.maxWatchers = maxWatchers
        }
    }
}
