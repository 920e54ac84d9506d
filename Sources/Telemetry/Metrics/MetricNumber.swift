import NIOCore

/// Number spelling shared by both exposition formats: integers without a
/// fraction, `+Inf`, `-Inf` and `NaN` as the formats require.
enum MetricNumber {
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    static func write(_ value: Double, into buffer: inout ByteBuffer) {
        if value == value.rounded(), abs(value) < 1e15 {
            write(Int64(value), into: &buffer)
        } else {
            buffer.writeString(format(value))
        }
    }

    static func write(_ value: UInt64, into buffer: inout ByteBuffer) {
        if value < 1_000_000_000_000_000 {
            write(Int64(value), into: &buffer)
        } else {
            buffer.writeString(String(value))
        }
    }

    /// Decimal digits straight into the buffer: no String on the hot path.
    static func write(_ value: Int64, into buffer: inout ByteBuffer) {
        if value == 0 {
            buffer.writeInteger(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        if value < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            while magnitude > 0 {
                scratch[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: scratch[(24 - count)...]))
        }
    }
}
