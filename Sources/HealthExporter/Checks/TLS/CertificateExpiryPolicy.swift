import Telemetry

/// Judges a certificate's notAfter: a pure value, testable without a handshake.
///
/// More than `warnWithin` left passes; less is a ``CheckWarning`` `expiring`
/// (the check stays up); less than `failWithin`, or past, fails `expired`.
public struct CertificateExpiryPolicy: Sendable, Equatable {
    /// Default 14 days, the span `HealthCheckCertificateExpiringSoon` alerts on.
    public var warnWithin: Duration
    /// Default zero: fail only once the certificate has expired.
    public var failWithin: Duration

    public init(warnWithin: Duration = .seconds(14 * 86_400), failWithin: Duration = .zero) {
        self.warnWithin = warnWithin
        self.failWithin = failWithin
    }

    /// Throws ``CheckWarning`` or ``CheckFailure`` for a certificate of
    /// `target` that ends at `notAfter`, judged at `now`.
    public func judge(notAfter: WallClockTimestamp, now: WallClockTimestamp, target: String) throws {
        let left = Duration.nanoseconds(notAfter.nanosecondsSinceEpoch - now.nanosecondsSinceEpoch)
        if left <= .zero {
            throw CheckFailure(.expired, "\(target): certificate expired at \(notAfter.rfc3339)")
        }
        if left <= failWithin {
            throw CheckFailure(.expired, "\(target): certificate expires at \(notAfter.rfc3339), within \(Self.span(failWithin))")
        }
        if left <= warnWithin {
            throw CheckWarning(.expiring, "\(target): certificate expires at \(notAfter.rfc3339), in \(Self.span(left))")
        }
    }

    /// Days when at least one, else the configuration's notation.
    static func span(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds >= 86_400 {
            let tenths = (Double(seconds) / 8_640).rounded()
            return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))d" : "\(tenths / 10)d"
        }
        return ConfigValueParsers.format(.seconds(seconds))
    }
}
