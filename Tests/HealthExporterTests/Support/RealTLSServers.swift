import Foundation
import TestSupport

/// A child process serving on a loopback port, killed at the end of its test.
class RealChildServer: @unchecked Sendable {
    // Touched only by the test that owns it, one step at a time.
    let port: Int
    let process = Process()
    private var input: Pipe?

    init(port: Int, executable: String, arguments: [String], withInput: Bool = false) throws {
        self.port = port
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        if withInput {
            let pipe = Pipe()
            process.standardInput = pipe
            input = pipe
        }
        try process.run()
    }

    /// Writes one line to the server's standard input (its control channel).
    func send(_ line: String) {
        input?.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)  // SIGTERM may be blocked: see RealRedis.stop()
        _ = process.waitForExit()
    }
}

/// `openssl s_server` (Debian's openssl) presenting `leaf`, optionally
/// asking for a client certificate signed by `clientCA`.
final class RealOpenSSLServer: RealChildServer, @unchecked Sendable {
    init(leaf: TestCertificates.Leaf) async throws {
        let port = try await FreePort.find()
        try super.init(
            port: port, executable: "/usr/bin/openssl",
            arguments: ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", leaf.certificate, "-key", leaf.key, "-quiet", "-naccept", "1000000"])
        try await waitForPort(port)
    }
}

/// An HTTPS server (Python's http.server and ssl) for the http kind's
/// options: it answers 200 with `{"status":"UP","checks":[{"state":"ok"}]}`
/// only to `method` requests carrying every header of `headers` with its
/// exact value and the body `body`, else 401 (headers) or 400 (method,
/// body); with `clientCA` it refuses a handshake without a client
/// certificate signed by it.
final class RealHTTPSServer: RealChildServer, @unchecked Sendable {
    init(leaf: TestCertificates.Leaf, clientCA: String? = nil, method: String, headers: [String: String], body: String) async throws {
        let port = try await FreePort.find()
        let expected = try String(decoding: JSONSerialization.data(withJSONObject: headers), as: UTF8.self)
        let script = """
            import http.server, json, ssl
            EXPECTED = json.loads(\(String(reflecting: expected)))
            class H(http.server.BaseHTTPRequestHandler):
                def answer(self, method):
                    length = int(self.headers.get('Content-Length') or 0)
                    body = self.rfile.read(length).decode() if length else ''
                    if method != \(String(reflecting: method)) or body != \(String(reflecting: body)):
                        code = 400
                    elif any(self.headers.get(k) != v for k, v in EXPECTED.items()):
                        code = 401
                    else:
                        code = 200
                    out = json.dumps({'status': 'UP' if code == 200 else 'DOWN', 'checks': [{'state': 'ok'}]}).encode()
                    self.send_response(code); self.send_header('Content-Length', str(len(out))); self.end_headers()
                    if method != 'HEAD': self.wfile.write(out)
                def do_GET(self): self.answer('GET')
                def do_POST(self): self.answer('POST')
                def do_HEAD(self): self.answer('HEAD')
                def log_message(self, *args): pass
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(\(String(reflecting: leaf.certificate)), \(String(reflecting: leaf.key)))
            client_ca = \(clientCA.map { String(reflecting: $0) } ?? "None")
            if client_ca:
                context.verify_mode = ssl.CERT_REQUIRED
                context.load_verify_locations(client_ca)
            server = http.server.ThreadingHTTPServer(('127.0.0.1', \(port)), H)
            server.socket = context.wrap_socket(server.socket, server_side=True)
            server.serve_forever()
            """
        try super.init(port: port, executable: "/usr/bin/env", arguments: ["python3", "-c", script])
        try await waitForPort(port)
    }
}

/// A real gRPC health server: grpcio's own `grpc_health.v1` servicer (PyPI
/// `grpcio-health-checking`, which scripts/test installs), with `""` and
/// `payments` SERVING at start. `set(_:_:)` flips a service, as a server's
/// own code would.
final class RealGRPCHealthServer: RealChildServer, @unchecked Sendable {
    init(leaf: TestCertificates.Leaf? = nil) async throws {
        let port = try await FreePort.find()
        let listen: String
        if let leaf {
            listen = """
                credentials = grpc.ssl_server_credentials([(open(\(String(reflecting: leaf.key)), 'rb').read(), open(\(String(reflecting: leaf.certificate)), 'rb').read())])
                server.add_secure_port('127.0.0.1:\(port)', credentials)
                """
        } else {
            listen = "server.add_insecure_port('127.0.0.1:\(port)')"
        }
        let script = """
            import sys, grpc
            from concurrent import futures
            from grpc_health.v1 import health, health_pb2, health_pb2_grpc
            server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
            servicer = health.HealthServicer()
            health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
            \(listen)
            servicer.set('', health_pb2.HealthCheckResponse.SERVING)
            servicer.set('payments', health_pb2.HealthCheckResponse.SERVING)
            server.start()
            for line in sys.stdin:
                name, status = line.split()
                servicer.set('' if name == '-' else name, getattr(health_pb2.HealthCheckResponse, status))
            """
        try super.init(port: port, executable: "/usr/bin/env", arguments: ["python3", "-c", script], withInput: true)
        try await waitForPort(port)
    }

    /// Sets `service` (`""` for the server) to `status` (`SERVING`, `NOT_SERVING`).
    func set(_ service: String, _ status: String) {
        send("\(service.isEmpty ? "-" : service) \(status)")
    }
}
