import Telemetry
import Testing

@testable import HealthExporter

/// How a certificate's notAfter is judged, at exact instants.
@Suite("CertificateExpiryPolicy: pass, warn expiring, fail expired")
struct CertificateExpiryPolicyTests {
    private static let now = WallClockTimestamp(nanosecondsSinceEpoch: 1_800_000_000_000_000_000)

    private static func at(days: Double) -> WallClockTimestamp {
        WallClockTimestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch + Int64(days * 86_400) * 1_000_000_000)
    }

    private static func verdict(_ policy: CertificateExpiryPolicy, days: Double) -> String {
        do {
            try policy.judge(notAfter: at(days: days), now: now, target: "TLS a:1")
            return "pass"
        } catch let warning as CheckWarning {
            return "warn \(warning.reason)"
        } catch let failure as CheckFailure {
            return "fail \(failure.reason)"
        } catch {
            return "other"
        }
    }

    @Test("defaults: more than 14 days passes, 14 days or less warns, past fails", arguments: [
        (90.0, "pass"), (14.01, "pass"), (14.0, "warn expiring"), (5.0, "warn expiring"), (0.01, "warn expiring"), (0.0, "fail expired"),
        (-1.0, "fail expired"),
    ])
    func defaults(_ days: Double, _ expected: String) {
        #expect(Self.verdict(CertificateExpiryPolicy(), days: days) == expected)
    }

    @Test("certFail fails before expiry; certWarn 0 never warns")
    func windows() {
        let strict = CertificateExpiryPolicy(warnWithin: .seconds(30 * 86_400), failWithin: .seconds(7 * 86_400))
        #expect(Self.verdict(strict, days: 31) == "pass")
        #expect(Self.verdict(strict, days: 20) == "warn expiring")
        #expect(Self.verdict(strict, days: 6) == "fail expired")
        #expect(Self.verdict(CertificateExpiryPolicy(warnWithin: .zero), days: 1) == "pass")
    }

    @Test("messages give the notAfter and the span left")
    func messages() {
        do {
            try CertificateExpiryPolicy().judge(notAfter: Self.at(days: 5), now: Self.now, target: "TLS a:1")
        } catch let warning as CheckWarning {
            #expect(warning.message == "TLS a:1: certificate expires at \(Self.at(days: 5).rfc3339), in 5d")
        } catch {
            Issue.record("not a warning: \(error)")
        }
        #expect(CertificateExpiryPolicy.span(.seconds(36 * 3600)) == "1.5d")
        #expect(CertificateExpiryPolicy.span(.seconds(3600)) == "1h")
    }
}
