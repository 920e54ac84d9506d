import Foundation
import TestSupport
import NIOCore
import NIOPosix

/// Waits until something accepts TCP connections on the loopback port.
func waitForPort(_ port: Int, up: Bool = true, seconds: Double = 15) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        let accepting = (try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(200)).connect(host: "127.0.0.1", port: port).get())
            .map { channel in channel.close(promise: nil); return true } ?? false
        if accepting == up { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw RealServerError(description: "port \(port) did not become \(up ? "reachable" : "closed") within \(seconds)s")
}

struct RealServerError: Error, CustomStringConvertible {
    let description: String
}

/// A real `redis-server` (Debian's redis-server package) on a free loopback
/// port, without persistence; stop and start it to simulate an outage.
final class RealRedis: @unchecked Sendable {
    // Touched only by the test that owns it, one step at a time.
    let port: Int
    let password: String?
    let tls: TestCertificates.Leaf?
    let users: [String: String]
    private var process: Process?

    /// With `tls`, it listens for TLS only (`tls-port`, plain port 0);
    /// `users` are ACL users (name → password) allowed every command.
    init(password: String? = nil, tls: TestCertificates.Leaf? = nil, users: [String: String] = [:]) async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/redis-server") else {
            throw RealServerError(description: "redis-server is not installed (Debian package redis-server; scripts/test installs it)")
        }
        self.port = try await FreePort.find()
        self.password = password
        self.tls = tls
        self.users = users
        try await start()
    }

    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        var arguments = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]
        if let tls {
            arguments += [
                "--port", "0", "--tls-port", "\(port)", "--tls-cert-file", tls.certificate, "--tls-key-file", tls.key, "--tls-auth-clients", "no",
            ]
        } else {
            arguments += ["--port", "\(port)"]
        }
        for (user, password) in users.sorted(by: { $0.key < $1.key }) {
            arguments += ["--user", user, "on", ">\(password)", "~*", "&*", "+@all"]
        }
        if let password { arguments += ["--requirepass", password] }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        try await waitForPort(port)
    }

    /// Kills the server abruptly (an outage). SIGKILL because children spawned
    /// from a task thread inherit its blocked signal mask and would ignore SIGTERM.
    func stop() async throws {
        if let process { kill(process.processIdentifier, SIGKILL) }
        _ = process?.waitForExit()
        process = nil
        try await waitForPort(port, up: false)
    }
}

/// A real PostgreSQL 15 (Debian's postgresql package): `initdb` as the
/// postgres user (it refuses root) into a temporary folder, SCRAM password
/// auth, listening on a free loopback port.
final class RealPostgres: @unchecked Sendable {
    // Touched only by the test that owns it, one step at a time.
    static let password = "test-password-\(UInt32.random(in: 0...UInt32.max))"
    let port: Int
    let directory: URL
    private var process: Process?

    /// With `tls`, the server has `ssl=on` with that certificate (plain
    /// connections are still allowed, as by default).
    init(tls: TestCertificates.Leaf? = nil) async throws {
        let bin = try Self.binDirectory()
        port = try await FreePort.find()
        directory = URL(fileURLWithPath: "/tmp/he-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let passwordFile = directory.appendingPathComponent("pwfile")
        try Self.password.write(to: passwordFile, atomically: true, encoding: .utf8)
        var tlsSettings: [String] = []
        if let tls {
            // PostgreSQL refuses a key readable by others, and reads both as its own user.
            let certificate = directory.appendingPathComponent("server.crt").path
            let key = directory.appendingPathComponent("server.key").path
            try FileManager.default.copyItem(atPath: tls.certificate, toPath: certificate)
            try FileManager.default.copyItem(atPath: tls.key, toPath: key)
            chmod(key, 0o600)
            tlsSettings = ["-c", "ssl=on", "-c", "ssl_cert_file=\(certificate)", "-c", "ssl_key_file=\(key)"]
        }
        try Self.run("/bin/chown", ["-R", "postgres:postgres", directory.path])
        try Self.run("/usr/sbin/runuser", [
            "-u", "postgres", "--", "\(bin)/initdb", "-D", directory.appendingPathComponent("data").path,
            "-U", "postgres", "--auth=scram-sha-256", "--pwfile=\(passwordFile.path)", "-E", "UTF8",
        ])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        process.arguments = [
            "-u", "postgres", "--", "\(bin)/postgres", "-D", directory.appendingPathComponent("data").path,
            "-p", "\(port)", "-k", directory.path, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
        ] + tlsSettings
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // An open port is not a ready server: until recovery ends, logins get
        // 57P03 ("the database system is starting up"). pg_isready says when.
        try await waitForPort(port)
        let deadline = ContinuousClock.now + .seconds(30)
        while (try? Self.run("\(bin)/pg_isready", ["-q", "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres"])) == nil {
            guard ContinuousClock.now < deadline else {
                throw RealServerError(description: "PostgreSQL on port \(port) did not accept connections within 30 s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Runs SQL as the superuser through psql, returning its trimmed output.
    func psql(_ sql: String) throws -> String {
        try ExecutableUnderTest.output(
            of: "/usr/bin/psql", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", "postgres", "-tAc", sql],
            environment: ["PGPASSWORD": Self.password, "PATH": "/usr/bin:/bin"]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func stop() {
        if let process, process.isRunning {
            // postgres runs under runuser: signal the server itself (SIGINT = fast shutdown).
            let pidFile = directory.appendingPathComponent("data/postmaster.pid")
            if let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = Int32(text.split(separator: "\n").first ?? "") {
                kill(pid, SIGKILL)  // SIGINT may be blocked: see RealRedis.stop(); the folder is deleted anyway
            }
            _ = process.waitForExit()
        }
        process = nil
        try? FileManager.default.removeItem(at: directory)
    }

    private static func binDirectory() throws -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = versions.sorted().last, FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\(version)/bin/initdb") else {
            throw RealServerError(description: "PostgreSQL is not installed (Debian package postgresql; scripts/test installs it)")
        }
        return "/usr/lib/postgresql/\(version)/bin"
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let status = process.waitForExit()
        guard status == 0 else {
            throw RealServerError(description: "\(executable) \(arguments.joined(separator: " ")) exited \(status)")
        }
    }
}

/// A loopback TCP listener that accepts connections and never answers: the
/// hung dependency.
final class SilentListener: Sendable {
    let port: Int
    private let channel: any Channel

    init() async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress!.port!
    }

    func close() async {
        try? await channel.close()
    }
}

/// A real HTTP server (Python's http.server) answering every GET with `status`.
final class RealHTTPServer: @unchecked Sendable {
    // Touched only by the test that owns it.
    let port: Int
    private let process = Process()

    init(status: Int) async throws {
        port = try await FreePort.find()
        let script = """
            import http.server
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = b'{"status":"broken"}'
                    self.send_response(\(status)); self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
                def log_message(self, *args): pass
            http.server.HTTPServer(('127.0.0.1', \(port)), H).serve_forever()
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await waitForPort(port)
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)  // SIGTERM may be blocked: see RealRedis.stop()
        _ = process.waitForExit()
    }
}
