import Foundation
import NIOSSL
import Testing

@testable import HealthExporter

/// The options of the tls, http, postgres, redis and grpc kinds as a user
/// writes them: every key read, defaults, and one clear line for each
/// mistake, naming the value (never a secret's).
@Suite("Check kind options: tls, http, postgres sslmode, redis url, grpc")
struct CheckKindOptionsTests {
    private static func checks(_ entries: String) throws(ConfigError) -> [CheckConfig] {
        try ConfigLoader.parse(yaml: "checks:\n" + entries, source: "kinds.yaml").checks
    }

    private static func error(_ entries: String) -> String {
        do {
            _ = try checks(entries)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test("tls: defaults (verify, 14d, 0s), days in certWarn/certFail, caFile read at load")
    func tlsOptions() throws {
        let authority = try TestCertificates()
        defer { authority.remove() }
        let plain = try Self.checks("  - {name: edge, kind: tls, address: example.com:443}\n")
        #expect(plain[0].kind == .tls(.init(address: HostPort(host: "example.com", port: 443))))
        #expect(plain[0].kind.definition is CheckKind.TLSOptions)
        let options = CheckKind.TLSOptions(address: HostPort(host: "a", port: 1))
        #expect(options.tls.verify && options.expiry == CertificateExpiryPolicy(warnWithin: .seconds(14 * 86_400), failWithin: .zero))

        let full = try Self.checks(
            "  - {name: edge, kind: tls, address: 127.0.0.1:8443, serverName: api.internal, caFile: \(authority.caCertificate), certWarn: 30d, certFail: 36h}\n")
        guard case let tls as CheckKind.TLSOptions = full[0].kind.definition else {
            Issue.record("not a tls kind")
            return
        }
        #expect(tls.tls.serverName == "api.internal")
        #expect(tls.tls.trustRoots?.count == 1)
        #expect(tls.expiry.warnWithin == .seconds(30 * 86_400))
        #expect(tls.expiry.failWithin == .seconds(36 * 3600))
    }

    @Test("tls, http, redis, grpc, postgres: each mistake is one line naming the value", arguments: [
        ("  - {name: e, kind: tls}\n", #"kinds.yaml:2:5: checks[0] "e": is missing the required key "address""#),
        ("  - {name: e, kind: tls, address: x:1, caFile: /nonexistent/ca.pem}\n", #"kinds.yaml:2:48: checks[0] "e": caFile "/nonexistent/ca.pem" cannot be read"#),
        ("  - {name: e, kind: tls, address: x:1, certWarn: soon}\n", #"kinds.yaml:2:50: checks[0] "e": certWarn "soon" is not a duration (use e.g. 500ms, 2s, 1m)"#),
        ("  - {name: e, kind: tls, address: x:1, certWarn: 99999999999999999999d}\n", #"kinds.yaml:2:50: checks[0] "e": certWarn "99999999999999999999d" is longer than 36500d"#),
        ("  - {name: e, kind: tls, address: x:1, certWarn: 1d, certFail: 2d}\n", #"kinds.yaml:2:64: checks[0] "e": certFail must not be longer than certWarn (1d)"#),
        ("  - {name: e, kind: http, url: 'http://a/', method: DELETE}\n", #"kinds.yaml:2:53: checks[0] "e": method "DELETE" is not one of: GET, HEAD, POST"#),
        ("  - {name: e, kind: http, url: 'http://a/', headers: {'Bad Name': x}}\n", #"kinds.yaml:2:67: checks[0] "e": headers.Bad Name "Bad Name" is not a header name"#),
        ("  - {name: e, kind: http, url: 'http://a/', headers: {Host: x}}\n", #"kinds.yaml:2:61: checks[0] "e": headers.Host "Host" is set by the client itself and cannot be configured"#),
        ("  - {name: e, kind: http, url: 'http://a/', headers: {X-A: \"secret\\r\\nX-B: y\"}}\n", #"kinds.yaml:2:60: checks[0] "e": headers.X-A holds a line break or NUL, which would split the request (the value is not shown)"#),
        ("  - {name: e, kind: http, url: 'http://a/', headerFiles: {Authorization: /nonexistent/token}}\n", #"kinds.yaml:2:74: checks[0] "e": headerFiles.Authorization "/nonexistent/token" cannot be read: No such file or directory"#),
        ("  - {name: e, kind: http, url: 'http://a/', bodyJSONPath: status, bodyEquals: UP}\n", #"kinds.yaml:2:59: checks[0] "e": bodyJSONPath "status" is not a JSON path like .status or .checks[0].state"#),
        ("  - {name: e, kind: http, url: 'http://a/', bodyJSONPath: .status}\n", #"kinds.yaml:2:59: checks[0] "e": bodyJSONPath needs bodyEquals beside it (the value expected at the path)"#),
        ("  - {name: e, kind: http, url: 'http://a/', method: HEAD, bodyContains: ok}\n", #"kinds.yaml:2:53: checks[0] "e": method HEAD gets no body, so bodyContains and bodyJSONPath cannot be checked; use GET"#),
        ("  - {name: e, kind: http, url: 'http://a/', tlsVerify: false, caFile: /etc/hostname}\n", #"kinds.yaml:2:71: checks[0] "e": caFile "/etc/hostname" holds no PEM certificate"#),
        ("  - {name: e, kind: http, url: 'https://a/', certFile: /etc/hostname}\n", #"kinds.yaml:2:56: checks[0] "e": certFile needs keyFile beside it (the client certificate's private key)"#),
        ("  - {name: e, kind: postgres, url: 'postgres://u@h/d?sslmode=verify'}\n", #"kinds.yaml:2:36: checks[0] "e": url sslmode "verify" is not one of: disable, prefer, require, verify-ca, verify-full"#),
        ("  - {name: e, kind: postgres, url: 'postgres://u@h/d?sslmode=require&sslrootcert=/etc/ssl/certs/ca-certificates.crt'}\n", #"kinds.yaml:2:36: checks[0] "e": url sslrootcert is only used with sslmode=verify-ca or verify-full, not require"#),
        ("  - {name: e, kind: postgres, url: 'postgres://u@h/d?application_name=x'}\n", #"kinds.yaml:2:36: checks[0] "e": url has the parameter "application_name"; only sslmode and sslrootcert are read"#),
        ("  - {name: e, kind: redis, url: 'redis://u:pw@h:6379'}\n", #"kinds.yaml:2:33: checks[0] "e": url must not carry a password (it would show wherever the URL does); use passwordFile or passwordEnv"#),
        ("  - {name: e, kind: redis, url: 'redis://probe@h:6379'}\n", #"kinds.yaml:2:33: checks[0] "e": url names the user "probe", who needs a password: add passwordFile or passwordEnv"#),
        ("  - {name: e, kind: redis, url: 'redis://h:6379', tlsVerify: false}\n", #"kinds.yaml:2:62: checks[0] "e": tlsVerify applies to TLS connections only; write url: rediss://host:port"#),
        ("  - {name: e, kind: redis, url: 'redis://h:6379', address: 'h:1'}\n", #"kinds.yaml:2:33: checks[0] "e": url and address both name the server; keep one"#),
        ("  - {name: e, kind: redis, url: 'http://h:6379'}\n", #"kinds.yaml:2:33: checks[0] "e": url is not redis://[user@]host:port or rediss://[user@]host:port (the value is not shown: it may hold a password)"#),
        ("  - {name: e, kind: grpc, address: 'h:50051', caFile: /etc/hostname}\n", #"kinds.yaml:2:55: checks[0] "e": caFile applies to TLS connections only; add tls: true"#),
        ("  - {name: e, kind: grpc, address: 'h'}\n", #"kinds.yaml:2:36: checks[0] "e": address "h" is not host:port (e.g. 127.0.0.1:50051)"#),
    ])
    func mistakes(_ yaml: String, _ message: String) {
        #expect(Self.error(yaml) == message)
    }

    @Test("http: method, headers from the file and literal, body, bodyJSONPath; header values never print")
    func httpOptions() throws {
        let token = try TemporaryFile.write("Bearer s3cr3t-token\n")
        defer { TemporaryFile.remove(token) }
        let configs = try Self.checks(
            "  - {name: api, kind: http, url: 'https://api.internal/health', method: POST, headers: {X-Probe: yes}, headerFiles: {Authorization: \(token)}, body: '{}', bodyJSONPath: .status, bodyEquals: UP, tlsVerify: false}\n")
        guard case let http as CheckKind.HTTPOptions = configs[0].kind.definition else {
            Issue.record("not an http kind")
            return
        }
        #expect(http.method == .POST)
        #expect(http.headers.map(\.name) == ["X-Probe", "Authorization"])
        #expect(http.headers[1].value.reveal() == "Bearer s3cr3t-token", "the file's trailing newline is trimmed")
        #expect(http.body == "{}")
        #expect(http.bodyJSON?.path == ".status" && http.bodyJSON?.equals == "UP")
        #expect(!http.tlsVerify)
        #expect(!"\(configs)".contains("s3cr3t"), "a printed configuration shows no header value")
    }

    @Test("postgres: sslmode defaults to prefer, verify-full reads sslrootcert; the URL shown carries sslmode, not the password")
    func postgresSSLMode() throws {
        let authority = try TestCertificates()
        defer { authority.remove() }
        let configs = try Self.checks(
            "  - {name: a, kind: postgres, url: 'postgres://app@db:5433/orders'}\n"
                + "  - {name: b, kind: postgres, url: 'postgres://app@db/orders?sslmode=verify-full&sslrootcert=\(authority.caCertificate)'}\n")
        guard case let prefer as CheckKind.PostgresOptions = configs[0].kind.definition,
            case let full as CheckKind.PostgresOptions = configs[1].kind.definition
        else {
            Issue.record("not postgres kinds")
            return
        }
        #expect(prefer.sslMode == .prefer)
        #expect(prefer.tls == TLSClientSettings(verify: false))
        #expect(prefer.redactedURL == "postgres://app@db:5433/orders")
        #expect(full.sslMode == .verifyFull)
        #expect(full.rootCertificates?.count == 1)
        #expect(full.redactedURL == "postgres://app@db:5432/orders?sslmode=verify-full")
    }

    @Test("redis: address or url, rediss:// turns TLS on, the user goes into AUTH")
    func redisURL() throws {
        let password = try TemporaryFile.write("pw\n")
        defer { TemporaryFile.remove(password) }
        let configs = try Self.checks(
            "  - {name: a, kind: redis, address: '127.0.0.1:6379'}\n"
                + "  - {name: b, kind: redis, url: 'rediss://probe@cache.internal:6380', passwordFile: \(password), tlsVerify: false}\n"
                + "  - {name: c, kind: redis, url: 'redis://[::1]'}\n")
        #expect(configs[0].kind == .redis(.init(address: HostPort(host: "127.0.0.1", port: 6379))))
        #expect(
            configs[1].kind == .redis(.init(address: HostPort(host: "cache.internal", port: 6380), user: "probe", password: Secret("pw"), tls: TLSClientSettings(verify: false))))
        #expect(configs[2].kind == .redis(.init(address: HostPort(host: "::1", port: 6379))))
        guard case let tls as CheckKind.RedisOptions = configs[1].kind.definition else { return }
        #expect(tls.redactedURL == "rediss://probe@cache.internal:6380")
    }

    @Test("grpc: service defaults to the whole server, tls: true reads the TLS keys")
    func grpcOptions() throws {
        let authority = try TestCertificates()
        defer { authority.remove() }
        let configs = try Self.checks(
            "  - {name: a, kind: grpc, address: '127.0.0.1:50051'}\n"
                + "  - {name: b, kind: grpc, address: 'pay.internal:443', service: payments.v1.Pay, tls: true, caFile: \(authority.caCertificate)}\n")
        #expect(configs[0].kind == .grpc(.init(address: HostPort(host: "127.0.0.1", port: 50051))))
        guard case let secure as CheckKind.GRPCOptions = configs[1].kind.definition else { return }
        #expect(secure.service == "payments.v1.Pay")
        #expect(secure.tls?.verify == true && secure.tls?.trustRoots?.count == 1)
    }
}
