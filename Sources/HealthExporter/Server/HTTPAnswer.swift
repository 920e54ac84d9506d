import NIOCore
import NIOHTTP1
import Telemetry

/// A complete HTTP response as a value: status, content type, body and any
/// extra headers. ``encode(into:includeBody:connection:)`` writes the exact
/// bytes, so a hot answer can be encoded once and reused for every request.
public struct HTTPAnswer: Sendable, Equatable {
    public var status: HTTPResponseStatus
    public var contentType: String
    public var body: ByteBuffer
    public var extraHeaders: [(String, String)]

    public init(status: HTTPResponseStatus, contentType: String, body: ByteBuffer, extraHeaders: [(String, String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.extraHeaders = extraHeaders
    }

    public init(status: HTTPResponseStatus, contentType: String, body: String, extraHeaders: [(String, String)] = []) {
        self.init(status: status, contentType: contentType, body: ByteBuffer(string: body), extraHeaders: extraHeaders)
    }

    /// The body as text (tests, logs).
    public var bodyText: String {
        String(buffer: body)
    }

    /// What the `Connection` header says, if anything.
    public enum ConnectionHeader: Sendable {
        /// HTTP/1.1 keep-alive: no header needed.
        case implicitKeepAlive
        /// HTTP/1.0 keep-alive must be confirmed.
        case keepAlive
        /// The server closes after this response.
        case close
    }

    static let healthJSON = "application/health+json"
    static let json = "application/json"
    static let plainText = "text/plain; charset=utf-8"
    static let html = "text/html; charset=utf-8"

    /// Writes status line, headers and (unless `includeBody` is false, for
    /// HEAD) the body.
    public func encode(into buffer: inout ByteBuffer, includeBody: Bool, connection: ConnectionHeader) {
        buffer.writeString("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n")
        buffer.writeString("Content-Type: \(contentType)\r\nContent-Length: \(body.readableBytes)\r\nCache-Control: no-store\r\n")
        for (name, value) in extraHeaders {
            buffer.writeString("\(name): \(value)\r\n")
        }
        switch connection {
        case .implicitKeepAlive: break
        case .keepAlive: buffer.writeString("Connection: keep-alive\r\n")
        case .close: buffer.writeString("Connection: close\r\n")
        }
        buffer.writeString("\r\n")
        if includeBody {
            buffer.writeImmutableBuffer(body)
        }
    }

    public static func == (lhs: HTTPAnswer, rhs: HTTPAnswer) -> Bool {
        lhs.status == rhs.status && lhs.contentType == rhs.contentType && lhs.body == rhs.body
            && lhs.extraHeaders.elementsEqual(rhs.extraHeaders, by: ==)
    }

    /// A FastAPI-style error: `{"detail":"…"}`.
    static func detail(_ status: HTTPResponseStatus, _ text: String, extraHeaders: [(String, String)] = []) -> HTTPAnswer {
        HTTPAnswer(status: status, contentType: json, body: "{\"detail\":\(JSONText.quoted(text))}", extraHeaders: extraHeaders)
    }

    static let notFound = detail(.notFound, "Not Found")
    static let badRequest = detail(.badRequest, "Bad Request")

    /// 307: the same method on `location` (a relative path on this server).
    static func redirect(to location: String) -> HTTPAnswer {
        HTTPAnswer(status: .temporaryRedirect, contentType: plainText, body: "", extraHeaders: [("Location", location)])
    }

    static func methodNotAllowed(allow: String) -> HTTPAnswer {
        detail(.methodNotAllowed, "Method Not Allowed", extraHeaders: [("Allow", allow)])
    }
}
