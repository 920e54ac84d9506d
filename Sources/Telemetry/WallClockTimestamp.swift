#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in wall-clock (UTC) time, as logs, probe bodies and metrics report it.
///
/// Durations inside the service use `ContinuousClock`; wall-clock time is only
/// for showing people and Prometheus *when* something happened.
public struct WallClockTimestamp: Sendable, Hashable, Comparable {
    /// Nanoseconds since the Unix epoch.
    public var nanosecondsSinceEpoch: Int64

    /// Creates a timestamp from nanoseconds since the Unix epoch.
    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// The current wall-clock time, read with `clock_gettime(CLOCK_REALTIME)`.
    public static func now() -> WallClockTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return WallClockTimestamp(nanosecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    /// Seconds since the Unix epoch, the unit of `*_timestamp_seconds` metrics.
    public var secondsSinceEpoch: Double {
        Double(nanosecondsSinceEpoch) / 1_000_000_000
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-11-26T07:41:03.120Z`.
    public var rfc3339: String {
        var seconds = time_t(nanosecondsSinceEpoch.floorDivided(by: 1_000_000_000))
        let millis = Int(nanosecondsSinceEpoch.floorModulo(1_000_000_000) / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return Self.pad(Int(parts.tm_year) + 1900, 4) + "-" + Self.pad(Int(parts.tm_mon) + 1, 2) + "-"
            + Self.pad(Int(parts.tm_mday), 2) + "T" + Self.pad(Int(parts.tm_hour), 2) + ":"
            + Self.pad(Int(parts.tm_min), 2) + ":" + Self.pad(Int(parts.tm_sec), 2) + "."
            + Self.pad(millis, 3) + "Z"
    }

    public static func < (lhs: WallClockTimestamp, rhs: WallClockTimestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
