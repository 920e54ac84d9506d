import NIOHTTP1
import Testing

@testable import HealthExporter

/// Who may flip checks: the token rule holds for every peer, loopback included.
@Suite("Admin access: the bearer token for every peer, loopback only without one")
struct AdminGateTests {
    private static let token = "s3cret-token"

    private static func request(
        _ path: String = "/admin/checks/database/fail",
        method: HTTPMethod = .POST,
        authorization: String? = nil,
        peerIsLoopback: Bool = true,
        listenerIsLoopback: Bool = true
    ) -> ProbeRequest {
        var headers = HTTPHeaders()
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        let peer = ConnectionPeer(address: peerIsLoopback ? "127.0.0.1" : "10.1.2.3", isLoopback: peerIsLoopback, listenerIsLoopback: listenerIsLoopback)
        return ProbeRequest(head: HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers), connection: peer)
    }

    static let withTokenCases: [(authorization: String?, code: UInt?)] = [
        (nil, 401),
        ("Bearer \(token)", nil),
        ("bearer \(token)", nil),
        ("Bearer wrong", 403),
        ("Bearer s3cret", 403),  // a prefix
        ("Bearer \(token)x", 403),  // one more character
        ("Bearer \(token)" + String(repeating: "x", count: 256), 403),  // 256 more: must not wrap to equal
        ("Bearer ", 403),  // empty bearer
        ("Basic \(token)", 401),  // another scheme is no bearer token
        (token, 401),  // no scheme at all
    ]

    @Test("with a token: loopback and remote peers alike need it", arguments: withTokenCases, [true, false])
    func tokenRequired(_ example: (authorization: String?, code: UInt?), _ loopback: Bool) {
        let gate = AdminGate(admin: .init(enabled: true, tokenFile: "/run/token", token: AdminToken(Self.token)))
        let refusal = gate.refusal(for: Self.request(authorization: example.authorization, peerIsLoopback: loopback, listenerIsLoopback: false))
        #expect(refusal?.status.code == example.code, "\(example.authorization ?? "no header") from \(loopback ? "loopback" : "remote")")
        if example.code == 401 {
            #expect(refusal?.extraHeaders.first { $0.0 == "WWW-Authenticate" }?.1 == "Bearer")
        }
        #expect(refusal?.bodyText.contains(Self.token) != true, "the token never appears in an answer")
    }

    @Test("without a token: only a loopback peer on a loopback-only listener", arguments: [
        (true, true, nil), (true, false, 403), (false, true, 403), (false, false, 403),
    ] as [(Bool, Bool, UInt?)])
    func noToken(_ peerIsLoopback: Bool, _ listenerIsLoopback: Bool, _ code: UInt?) {
        let gate = AdminGate(admin: .init(enabled: true))
        let refusal = gate.refusal(for: Self.request(peerIsLoopback: peerIsLoopback, listenerIsLoopback: listenerIsLoopback))
        #expect(refusal?.status.code == code)
    }

    @Test("disabled admin refuses even a right token; a GET is 405 before anything else")
    func disabledAndMethod() {
        let disabled = AdminGate(admin: .init(enabled: false, tokenFile: "/run/token", token: AdminToken(Self.token)))
        #expect(disabled.refusal(for: Self.request(authorization: "Bearer \(Self.token)"))?.status == .forbidden)
        let gate = AdminGate(admin: .init(enabled: true, tokenFile: "/run/token", token: AdminToken(Self.token)))
        let get = gate.refusal(for: Self.request(method: .GET))
        #expect(get?.status == .methodNotAllowed)
        #expect(get?.extraHeaders.first { $0.0 == "Allow" }?.1 == "POST")
    }

    @Test("a refused request has no effect: every admin and simulate route, through the router", arguments: [
        "/admin/checks/database/fail", "/admin/maintenance/on", "/simulate_db_failure", "/simulate_external_service_failure",
        "/admin/heartbeat/stop",
    ])
    func refusedHasNoEffect(_ path: String) {
        let monitor = TestFixtures.monitor()
        let router = TestFixtures.router(monitor, token: Self.token)
        let before = monitor.snapshot
        for authorization in [nil, "Bearer nope", "Bearer "] as [String?] {
            let answer = router.answer(Self.request(path, authorization: authorization), snapshot: monitor.snapshot)
            #expect(answer.status == .unauthorized || answer.status == .forbidden, "\(path) \(authorization ?? "")")
        }
        #expect(monitor.snapshot.verdict(for: .readiness).status == before.verdict(for: .readiness).status)
        #expect(monitor.snapshot.checks.map(\.status) == before.checks.map(\.status))
        #expect(monitor.snapshot.verdict(for: .readiness).status.isHealthy)
        let allowed = router.answer(Self.request(path, authorization: "Bearer \(Self.token)"), snapshot: monitor.snapshot)
        // Past the gate (this monitor has no heartbeat to stop: 409, not a refusal).
        #expect(allowed.status == (path.hasSuffix("heartbeat/stop") ? .conflict : .ok), "\(path): \(allowed.bodyText)")
    }
}
