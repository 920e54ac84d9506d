import Foundation
import Testing

/// The attack from the hardening issue, replayed against the real binary:
/// a peer on the pod's loopback, without the token, tries to take the pod
/// out of rotation.
@Suite("The real binary on 0.0.0.0 with admin.tokenFile: loopback peers need the token too", .timeLimit(.minutes(1)))
struct AdminAuthenticationTests {
    @Test("no token, a wrong one, a prefix, one character more, an empty bearer or another scheme: refused, nothing flips")
    func loopbackNeedsToken() async throws {
        let token = "tok-\(UInt64.random(in: 1...UInt64.max))"
        let tokenFile = try TemporaryFile.write(token + "\n")
        defer { TemporaryFile.remove(tokenFile) }
        let config = try TemporaryFile.write(
            """
            listen: 0.0.0.0:0
            admin: {enabled: true, tokenFile: \(tokenFile)}
            checks:
              - {name: x, kind: simulated}
            """, suffix: ".yaml")
        defer { TemporaryFile.remove(config) }
        let service = try ExecutableUnderTest.Service(["--config", config])
        let listening = try #require(service.waitForLine(containing: "\"msg\":\"listening\""))
        let port = try #require(ExecutableUnderTest.port(fromListeningLine: listening))
        let client = try await RawHTTPClient.connect(port: port)

        let attempts: [([String], Int)] = [
            ([], 401),
            (["Authorization: Bearer wrong"], 403),
            (["Authorization: Bearer \(token.dropLast())"], 403),
            (["Authorization: Bearer \(token)x"], 403),
            (["Authorization: Bearer "], 403),
            (["Authorization: Basic \(token)"], 401),
        ]
        for path in ["/admin/checks/x/fail", "/admin/maintenance/on"] {
            for (headers, status) in attempts {
                let response = try await client.request("POST", path, headers: headers)
                #expect(response.status == status, "\(path) \(headers)")
                if status == 401 { #expect(response.header("WWW-Authenticate") == "Bearer") }
                #expect(!response.body.contains(token))
            }
        }
        #expect(try await client.request("GET", "/readyz/x").status == 200, "the check did not flip")
        #expect(try await client.request("GET", "/readyz").status == 200, "maintenance did not start")

        #expect(try await client.request("POST", "/admin/checks/x/fail", headers: ["Authorization: Bearer \(token)"]).status == 200)
        #expect(try await client.request("GET", "/readyz/x").status == 503, "the token holder can drill")
        await client.close()
        #expect(service.stop() == 0)

        let refusals = service.logLines.filter { $0.contains("admin request refused") }
        #expect(refusals.count == 1, "once per peer per minute: \(refusals)")
        #expect(!service.logLines.contains { $0.contains(token) }, "the token is never logged")
    }
}
