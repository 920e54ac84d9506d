/// An entry in journald's native protocol, as `sd_journal_sendv` writes it:
/// `NAME=value\n` for a value without a newline, and otherwise `NAME\n`, the
/// value's length as 64-bit little-endian, the value and `\n`, so values may
/// hold any byte.
enum JournalMessage {
    static func encode(_ fields: [JournalField]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 10 })
        for field in fields {
            bytes.append(contentsOf: field.name.utf8)
            let value = field.value.utf8
            if value.contains(UInt8(ascii: "\n")) {
                bytes.append(UInt8(ascii: "\n"))
                withUnsafeBytes(of: UInt64(value.count).littleEndian) { bytes.append(contentsOf: $0) }
            } else {
                bytes.append(UInt8(ascii: "="))
            }
            bytes.append(contentsOf: value)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
