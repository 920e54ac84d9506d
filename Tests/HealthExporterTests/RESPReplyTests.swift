import NIOCore
import Testing

@testable import HealthExporter

/// RESP2 replies read whole from arbitrary splits of the bytes, and bounded.
@Suite("RESPReply: simple, error, integer, bulk, array; partial input; hostile input")
struct RESPReplyTests {
    private static func replies(_ text: String) throws -> [RESPReply] {
        var buffer = ByteBuffer(string: text)
        var out: [RESPReply] = []
        while let reply = try RESPReply.read(from: &buffer) { out.append(reply) }
        return out
    }

    @Test("each type")
    func types() throws {
        #expect(try Self.replies("+PONG\r\n-WRONGPASS invalid username-password pair\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*2\r\n+a\r\n$0\r\n\r\n*-1\r\n") == [
            .simple("PONG"), .error("WRONGPASS invalid username-password pair"), .integer(42), .bulk("hello"), .bulk(nil),
            .array([.simple("a"), .bulk("")]), .array(nil),
        ])
        #expect(try Self.replies("$6\r\nab\r\ncd\r\n") == [.bulk("ab\r\ncd")], "a bulk string may hold CRLF")
    }

    @Test("split anywhere: nothing is consumed until a reply is whole")
    func partial() throws {
        let whole = Array("*2\r\n$4\r\nPONG\r\n:7\r\n".utf8)
        for split in 1..<whole.count {
            var buffer = ByteBuffer(bytes: whole[..<split])
            #expect(try RESPReply.read(from: &buffer) == nil, "split at \(split)")
            #expect(buffer.readableBytes == split, "nothing consumed at \(split)")
            buffer.writeBytes(whole[split...])
            #expect(try RESPReply.read(from: &buffer) == .array([.bulk("PONG"), .integer(7)]))
        }
    }

    @Test("hostile input is refused, not buffered", arguments: [
        "HTTP/1.1 400 Bad Request\r\n", "$99999999\r\n", "*99999\r\n", ":x\r\n", "$2\r\nabcd\r\n", String(repeating: "+", count: 5000),
        String(repeating: "*1\r\n", count: 20) + "+a\r\n",
    ])
    func hostile(_ text: String) {
        var buffer = ByteBuffer(string: text)
        #expect(throws: RESPReply.Malformed.self) { _ = try RESPReply.read(from: &buffer) }
    }
}
