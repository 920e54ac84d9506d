import NIOCore

/// One RESP2 reply, read whole: simple strings, errors, integers, bulk
/// strings (null included) and arrays, nested. Sizes are bounded so a
/// hostile peer cannot make the check buffer without end.
enum RESPReply: Sendable, Equatable {
    case simple(String)
    case error(String)
    case integer(Int64)
    case bulk(String?)
    case array([RESPReply]?)

    static let maxBulkLength = 64 * 1024
    static let maxArrayCount = 1024
    static let maxLineLength = 4096

    /// The parse failed: the peer does not speak RESP (or exceeds the bounds).
    struct Malformed: Error, Equatable {
        let problem: String
    }

    /// Reads one whole reply from the front of `buffer`, consuming it; nil
    /// (and nothing consumed) when more bytes are needed.
    static func read(from buffer: inout ByteBuffer) throws(Malformed) -> RESPReply? {
        var copy = buffer
        guard let reply = try parse(&copy, depth: 0) else { return nil }
        buffer = copy
        return reply
    }

    private static func parse(_ buffer: inout ByteBuffer, depth: Int) throws(Malformed) -> RESPReply? {
        guard depth < 8 else { throw Malformed(problem: "arrays nested too deep") }
        guard let type = buffer.readInteger(as: UInt8.self) else { return nil }
        guard let line = try readLine(&buffer) else { return nil }
        switch type {
        case UInt8(ascii: "+"): return .simple(line)
        case UInt8(ascii: "-"): return .error(line)
        case UInt8(ascii: ":"):
            guard let value = Int64(line) else { throw Malformed(problem: "integer reply \(line.prefix(20)) is not a number") }
            return .integer(value)
        case UInt8(ascii: "$"):
            guard let length = Int(line), length >= -1, length <= maxBulkLength else {
                throw Malformed(problem: "bulk length \(line.prefix(20)) is out of bounds")
            }
            if length == -1 { return .bulk(nil) }
            guard buffer.readableBytes >= length + 2 else { return nil }
            let text = buffer.readString(length: length) ?? ""
            guard buffer.readString(length: 2) == "\r\n" else { throw Malformed(problem: "bulk string not ended by CRLF") }
            return .bulk(text)
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1, count <= maxArrayCount else {
                throw Malformed(problem: "array length \(line.prefix(20)) is out of bounds")
            }
            if count == -1 { return .array(nil) }
            var elements: [RESPReply] = []
            for _ in 0..<count {
                guard let element = try parse(&buffer, depth: depth + 1) else { return nil }
                elements.append(element)
            }
            return .array(elements)
        default:
            throw Malformed(problem: "reply starts with byte \(type), not a RESP type")
        }
    }

    private static func readLine(_ buffer: inout ByteBuffer) throws(Malformed) -> String? {
        let view = buffer.readableBytesView
        guard let cr = view.firstIndex(of: UInt8(ascii: "\r")) else {
            if view.count > maxLineLength { throw Malformed(problem: "line longer than \(maxLineLength) bytes") }
            return nil
        }
        let length = cr - view.startIndex
        guard length <= maxLineLength else { throw Malformed(problem: "line longer than \(maxLineLength) bytes") }
        guard buffer.readableBytes >= length + 2 else { return nil }
        let line = buffer.readString(length: length) ?? ""
        guard buffer.readInteger(as: UInt8.self) == UInt8(ascii: "\r"), buffer.readInteger(as: UInt8.self) == UInt8(ascii: "\n") else {
            throw Malformed(problem: "line not ended by CRLF")
        }
        return line
    }
}
