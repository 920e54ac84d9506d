import NIOHTTP1
import TestSupport
import Testing

@testable import HealthExporter

@Suite("Routes, status codes and bodies")
struct ProbeRouterTests {
    private func answer(
        _ router: ProbeRouter,
        _ method: HTTPMethod,
        _ path: String,
        text: Bool = false,
        verbose: Bool = false,
        exclude: Set<String> = [],
        loopback: Bool = true,
        token: Substring? = nil
    ) -> HTTPAnswer {
        router.answer(
            ProbeRequest(method: method, path: path, verbose: verbose, excluded: exclude, wantsText: text, peerIsLoopback: loopback, bearerToken: token),
            snapshot: router.monitor.snapshot
        )
    }

    static let healthyRoutes: [(method: HTTPMethod, path: String, code: UInt, contentType: String, body: String)] = [
        (.GET, "/livez", 200, "application/health+json", #"{"status":"pass"}"#),
        (.GET, "/readyz", 200, "application/health+json", #"{"status":"pass"}"#),
        (.GET, "/startupz", 200, "application/health+json", #"{"status":"pass"}"#),
        (.HEAD, "/readyz", 200, "application/health+json", #"{"status":"pass"}"#),
        (.GET, "/readyz/database", 200, "application/health+json", #"{"status":"pass"}"#),
        (.GET, "/livez/database", 404, "application/json", #"{"detail":"no check named database takes part in livez"}"#),
        (.GET, "/readyz/nope", 404, "application/json", #"{"detail":"no check named nope takes part in readyz"}"#),
        (.GET, "/readyz/database/extra", 404, "application/json", #"{"detail":"Not Found"}"#),
        (.GET, "/health", 200, "application/json", #"{"status":"up"}"#),
        (.GET, "/ready", 200, "application/json", #"{"status":"ready"}"#),
        (.GET, "/nope", 404, "application/json", #"{"detail":"Not Found"}"#),
        (.GET, "/admin/nope", 404, "application/json", #"{"detail":"Not Found"}"#),
        (.GET, "no-slash", 404, "application/json", #"{"detail":"Not Found"}"#),
        (.POST, "/readyz", 405, "application/json", #"{"detail":"Method Not Allowed"}"#),
        (.DELETE, "/health", 405, "application/json", #"{"detail":"Method Not Allowed"}"#),
        (.GET, "/simulate_db_failure", 405, "application/json", #"{"detail":"Method Not Allowed"}"#),
        (.GET, "/admin/maintenance/on", 405, "application/json", #"{"detail":"Method Not Allowed"}"#),
    ]

    @Test("every route answers its code and exact body", arguments: healthyRoutes)
    func routes(_ route: (method: HTTPMethod, path: String, code: UInt, contentType: String, body: String)) {
        let result = answer(TestFixtures.router(TestFixtures.monitor()), route.method, route.path)
        #expect(result.status.code == route.code, "\(route.method) \(route.path)")
        #expect(result.contentType == route.contentType, "\(route.method) \(route.path)")
        #expect(result.bodyText == route.body, "\(route.method) \(route.path)")
    }

    @Test("405 names the allowed methods")
    func allowHeader() {
        let router = TestFixtures.router(TestFixtures.monitor())
        #expect(answer(router, .POST, "/livez").extraHeaders.first { $0.0 == "Allow" }?.1 == "GET, HEAD")
        #expect(answer(router, .GET, "/simulate_db_recovery").extraHeaders.first { $0.0 == "Allow" }?.1 == "POST")
    }

    @Test("the seed's sequence: ready, fail db, 503 with its detail, recover, ready; same for the external service")
    func seedSequence() {
        let router = TestFixtures.router(TestFixtures.monitor())
        let steps: [(HTTPMethod, String, UInt, String)] = [
            (.GET, "/ready", 200, #"{"status":"ready"}"#),
            (.POST, "/simulate_db_failure", 200, #"{"message":"Database connection simulated as failed"}"#),
            (.GET, "/ready", 503, #"{"detail":"Database not available"}"#),
            (.GET, "/health", 200, #"{"status":"up"}"#),
            (.GET, "/readyz", 503, #"{"status":"fail"}"#),
            (.POST, "/simulate_db_recovery", 200, #"{"message":"Database connection simulated as recovered"}"#),
            (.GET, "/ready", 200, #"{"status":"ready"}"#),
            (.POST, "/simulate_external_service_failure", 200, #"{"message":"External service simulated as unavailable"}"#),
            (.GET, "/ready", 503, #"{"detail":"External service not available"}"#),
            (.POST, "/simulate_db_failure", 200, #"{"message":"Database connection simulated as failed"}"#),
            (.GET, "/ready", 503, #"{"detail":"Database not available"}"#),
            (.POST, "/simulate_db_recovery", 200, #"{"message":"Database connection simulated as recovered"}"#),
            (.POST, "/simulate_external_service_recovery", 200, #"{"message":"External service simulated as available"}"#),
            (.GET, "/ready", 200, #"{"status":"ready"}"#),
            (.GET, "/readyz", 200, #"{"status":"pass"}"#),
        ]
        for (index, (method, path, code, body)) in steps.enumerated() {
            let result = answer(router, method, path)
            #expect(result.status.code == code, "step \(index): \(method) \(path)")
            #expect(result.bodyText == body, "step \(index): \(method) \(path)")
        }
    }

    @Test("admin routes fail and recover any simulated check by name, effective at once")
    func adminChecks() {
        let router = TestFixtures.router(TestFixtures.monitor())
        #expect(answer(router, .POST, "/admin/checks/external-service/fail").bodyText == #"{"check":"external-service","status":"fail"}"#)
        #expect(answer(router, .GET, "/readyz/external-service").status == .serviceUnavailable)
        #expect(answer(router, .GET, "/readyz/database").status == .ok)
        #expect(answer(router, .POST, "/admin/checks/external-service/recover").bodyText == #"{"check":"external-service","status":"pass"}"#)
        #expect(answer(router, .GET, "/readyz").status == .ok)
        let unknown = answer(router, .POST, "/admin/checks/cache/fail")
        #expect(unknown.status == .notFound)
        #expect(unknown.bodyText == #"{"detail":"no check named \"cache\" (configured: database, external-service)"}"#)
        #expect(answer(router, .POST, "/admin/checks/database/explode").status == .notFound)
    }

    @Test("maintenance fails readiness with its reason and leaves liveness alone")
    func maintenance() {
        let router = TestFixtures.router(TestFixtures.monitor())
        #expect(answer(router, .POST, "/admin/maintenance/on").bodyText == #"{"maintenance":true}"#)
        #expect(answer(router, .GET, "/readyz").status == .serviceUnavailable)
        #expect(answer(router, .GET, "/readyz", verbose: true).bodyText.hasPrefix(#"{"status":"fail","probe":"readyz","reason":"maintenance""#))
        #expect(answer(router, .GET, "/ready").bodyText == #"{"detail":"Service is in maintenance"}"#)
        #expect(answer(router, .GET, "/livez").status == .ok)
        #expect(answer(router, .POST, "/admin/maintenance/off").bodyText == #"{"maintenance":false}"#)
        #expect(answer(router, .GET, "/readyz").status == .ok)
    }

    @Test("admin access: disabled, loopback, bearer token missing, wrong and right")
    func adminAccess() {
        let disabled = TestFixtures.router(TestFixtures.monitor(), adminEnabled: false)
        let refused = answer(disabled, .POST, "/simulate_db_failure")
        #expect(refused.status == .forbidden)
        #expect(refused.bodyText == #"{"detail":"admin routes are disabled; set admin.enabled: true to use them"}"#)
        #expect(answer(disabled, .GET, "/ready").status == .ok, "a refused flip changed nothing")

        let noToken = TestFixtures.router(TestFixtures.monitor())
        #expect(answer(noToken, .POST, "/admin/maintenance/on", loopback: false).status == .forbidden)
        #expect(answer(noToken, .POST, "/admin/maintenance/on", loopback: true).status == .ok)

        let withToken = TestFixtures.router(TestFixtures.monitor(), token: "s3cret")
        let missing = answer(withToken, .POST, "/admin/checks/database/fail", loopback: false)
        #expect(missing.status == .unauthorized)
        #expect(missing.extraHeaders.first { $0.0 == "WWW-Authenticate" }?.1 == "Bearer")
        #expect(answer(withToken, .POST, "/admin/checks/database/fail", loopback: false, token: "guess").status == .forbidden)
        #expect(answer(withToken, .GET, "/readyz").status == .ok, "refused requests changed nothing")
        #expect(answer(withToken, .POST, "/admin/checks/database/fail", loopback: false, token: "s3cret").status == .ok)
        #expect(answer(withToken, .GET, "/readyz").status == .serviceUnavailable)
    }

    @Test("Kubernetes-style text: ok when passing, lines when failing or verbose")
    func textBodies() {
        let router = TestFixtures.router(TestFixtures.monitor())
        #expect(answer(router, .GET, "/readyz", text: true).bodyText == "ok")
        #expect(answer(router, .GET, "/readyz", text: true).contentType == "text/plain; charset=utf-8")
        #expect(answer(router, .GET, "/readyz", text: true, verbose: true).bodyText == "[+]database ok\n[+]external-service ok\nreadyz check passed\n")
        _ = answer(router, .POST, "/simulate_db_failure")
        #expect(answer(router, .GET, "/readyz", text: true).bodyText == "[-]database failed: simulated\n[+]external-service ok\nreadyz check failed\n")
        #expect(answer(router, .GET, "/readyz/database", text: true).bodyText == "[-]database failed: simulated\n")
        #expect(answer(router, .GET, "/readyz/external-service", text: true).bodyText == "ok")
        let excluded = answer(router, .GET, "/readyz", text: true, verbose: true, exclude: ["database", "nope"])
        #expect(excluded.status == .ok)
        #expect(excluded.bodyText == "[+]external-service ok\n[+]database excluded: ok\nwarn: some health checks cannot be excluded: no matches for \"nope\"\nreadyz check passed\n")
    }

    @Test("a non-critical failure warns: 200 with status warn")
    func warn() {
        let monitor = TestFixtures.monitor([TestFixtures.simulated("cache", critical: false, startFailing: true)])
        let router = TestFixtures.router(monitor)
        let result = answer(router, .GET, "/readyz")
        #expect(result.status == .ok)
        #expect(result.bodyText == #"{"status":"warn"}"#)
        #expect(answer(router, .GET, "/readyz", text: true).bodyText == "ok")
        #expect(answer(router, .GET, "/readyz", text: true, verbose: true).bodyText == "[!]cache warn: simulated\nreadyz check passed\n")
    }

    static let exposures: [(details: HealthExporterConfig.Expose.Details, loopback: Bool, bearer: Substring?, shown: Bool)] = [
        (.always, true, nil, true), (.always, false, nil, true),
        (.loopback, true, nil, true), (.loopback, false, nil, false),
        (.authorized, true, nil, false), (.authorized, false, "s3cret", true), (.authorized, true, "wrong", false),
        (.never, true, "s3cret", false),
    ]

    @Test("verbose detail follows expose.details; without it, names and pass/fail only", arguments: exposures)
    func detailExposure(_ example: (details: HealthExporterConfig.Expose.Details, loopback: Bool, bearer: Substring?, shown: Bool)) {
        let monitor = TestFixtures.monitor()
        let router = TestFixtures.router(monitor, token: "s3cret", details: example.details)
        _ = answer(router, .POST, "/simulate_db_failure", token: "s3cret")
        let json = answer(router, .GET, "/readyz", verbose: true, loopback: example.loopback, token: example.bearer)
        let text = answer(router, .GET, "/readyz", text: true, verbose: true, loopback: example.loopback, token: example.bearer)
        #expect(json.status == .serviceUnavailable)
        if example.shown {
            #expect(json.bodyText.contains(#""output":"Database not available""#))
            #expect(text.bodyText.hasPrefix("[-]database failed: simulated\n"))
        } else {
            #expect(json.bodyText == #"{"status":"fail","probe":"readyz","checks":{"database":{"status":"fail"},"external-service":{"status":"pass"}},"details":"withheld"}"#)
            #expect(text.bodyText == "[-]database failed: reason withheld\n[+]external-service ok\nreadyz check failed\n")
        }
    }

    @Test("verbose JSON matches its golden file")
    func verboseJSONGolden() throws {
        let router = TestFixtures.router(TestFixtures.monitor())
        _ = answer(router, .POST, "/simulate_db_failure")
        try Golden.check(answer(router, .GET, "/readyz", verbose: true, exclude: ["nope"]).bodyText, fixture: "readyz-verbose-failing.json")
    }

    @Test("the status page matches its golden file and escapes what it shows")
    func statusPageGolden() throws {
        let monitor = TestFixtures.monitor([
            TestFixtures.simulated("database", detail: "Database <b>not</b> available & \"down\"", startFailing: true),
            TestFixtures.simulated("disk", probes: [.liveness, .readiness]),
        ])
        let page = answer(TestFixtures.router(monitor), .GET, "/statusz")
        #expect(page.contentType == "text/html; charset=utf-8")
        #expect(!page.bodyText.contains("<b>not</b>"))
        try Golden.check(page.bodyText, fixture: "status-page.html")
    }

    @Test("the seed's whole transcript, word for word, from the demo's router (Fixtures/seed-app.json)")
    func seedTranscript() throws {
        let demo = try DemoConfiguration.load()
        let router = TestFixtures.router(TestFixtures.monitor(demo.checks), root: demo.root)
        for step in try SeedTranscript.load().steps {
            let result = answer(router, HTTPMethod(rawValue: step.method), step.path)
            SeedTranscript.expect(step, status: Int(result.status.code), contentType: result.contentType, body: result.bodyText)
        }
    }

    @Test("GET / answers the seed's greeting in the demo, and redirects to /statusz otherwise")
    func root() {
        let hello = answer(TestFixtures.router(TestFixtures.monitor(), root: .hello), .GET, "/")
        #expect(hello.status == .ok)
        #expect(hello.contentType == "application/json")
        #expect(hello.bodyText == #"{"Hello":"World"}"#)

        let router = TestFixtures.router(TestFixtures.monitor())
        for method in [HTTPMethod.GET, .HEAD] {
            let redirect = answer(router, method, "/")
            #expect(redirect.status == .temporaryRedirect)
            #expect(redirect.extraHeaders.first { $0.0 == "Location" }?.1 == "/statusz")
        }
        #expect(answer(router, .GET, "/statusz").status == .ok)
        #expect(answer(router, .POST, "/statusz").status == .methodNotAllowed)
        #expect(answer(router, .POST, "/").status == .methodNotAllowed)
        #expect(answer(router, .GET, "/statusz/extra").status == .notFound)
    }
}
