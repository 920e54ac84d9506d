import Foundation
import NIOCore
import NIOPosix

/// A deliberately dumb HTTP/1.1 client for tests: it writes exactly the bytes
/// it is given and parses responses by Content-Length, so tests control
/// pipelining, malformed input and half-sent requests.
final class RawHTTPClient {
    struct Response: Equatable {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        static func == (lhs: Response, rhs: Response) -> Bool {
            lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.elementsEqual(rhs.headers, by: ==)
        }
    }

    struct ConnectionClosed: Error {}
    struct Malformed: Error { let text: String }

    /// Hands every received buffer to an `AsyncStream`, finished at close.
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let continuation: AsyncStream<ByteBuffer>.Continuation

        init(continuation: AsyncStream<ByteBuffer>.Continuation) {
            self.continuation = continuation
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            continuation.yield(unwrapInboundIn(data))
        }

        func channelInactive(context: ChannelHandlerContext) {
            continuation.finish()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }

    private let channel: any Channel
    private var iterator: AsyncStream<ByteBuffer>.AsyncIterator
    private var pending = ""

    private init(channel: any Channel, stream: AsyncStream<ByteBuffer>) {
        self.channel = channel
        self.iterator = stream.makeAsyncIterator()
    }

    static func connect(port: Int, host: String = "127.0.0.1") async throws -> RawHTTPClient {
        let (stream, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(continuation: continuation))
                }
            }
            .connect(host: host, port: port)
            .get()
        return RawHTTPClient(channel: channel, stream: stream)
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Reads one response; `head` for an answer to HEAD (no body follows).
    func response(head: Bool = false) async throws -> Response {
        while true {
            if let parsed = try parseOne(head: head) { return parsed }
            guard let chunk = await iterator.next() else { throw ConnectionClosed() }
            pending += String(buffer: chunk)
        }
    }

    /// Sends one request and reads its response.
    func request(_ method: String, _ path: String, headers: [String] = [], body: String = "") async throws -> Response {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: test\r\n"
        for header in headers { text += header + "\r\n" }
        if method == "POST" || !body.isEmpty { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + body
        try await send(text)
        return try await response(head: method == "HEAD")
    }

    /// True when the server has closed the connection (no more bytes come).
    func isClosedByPeer() async -> Bool {
        while let chunk = await iterator.next() {
            pending += String(buffer: chunk)
        }
        return true
    }

    func close() async {
        try? await channel.close()
    }

    private func parseOne(head: Bool) throws -> Response? {
        guard let end = pending.range(of: "\r\n\r\n") else { return nil }
        let lines = pending[..<end.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Malformed(text: pending) }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw Malformed(text: pending) }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let bodyStart = end.upperBound
        let body: String
        if !head, headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }) {
            guard let (decoded, consumed) = Self.decodeChunked(pending[bodyStart...]) else { return nil }
            body = decoded
            pending = String(pending[consumed...])
        } else {
            let length = head ? 0 : Int(headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "0") ?? 0
            guard pending.utf8[bodyStart...].count >= length else { return nil }
            let bodyEnd = pending.utf8.index(bodyStart, offsetBy: length)
            body = String(pending[bodyStart..<bodyEnd])
            pending = String(pending[bodyEnd...])
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// Decodes a complete chunked body; nil while more bytes are needed.
    private static func decodeChunked(_ text: Substring) -> (String, String.Index)? {
        var body = ""
        var cursor = text.startIndex
        while true {
            guard let lineEnd = text[cursor...].range(of: "\r\n") else { return nil }
            guard let size = Int(text[cursor..<lineEnd.lowerBound].split(separator: ";")[0], radix: 16) else { return nil }
            let dataStart = lineEnd.upperBound
            guard text.utf8[dataStart...].count >= size + 2 else { return nil }
            let dataEnd = text.utf8.index(dataStart, offsetBy: size)
            body += text[dataStart..<dataEnd]
            cursor = text.utf8.index(dataEnd, offsetBy: 2)
            if size == 0 { return (body, cursor) }
        }
    }
}
