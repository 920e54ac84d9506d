import NIOCore
import NIOHPACK
import NIOHTTP2

/// `grpc.health.v1.Health/Check` as one HTTP/2 request.
struct GRPCUnaryRequest: Sendable {
    let authority: String
    let scheme: String
    let service: String
    let timeout: Duration

    var headers: HPACKHeaders {
        [
            ":method": "POST", ":scheme": scheme, ":path": "/grpc.health.v1.Health/Check", ":authority": authority,
            "content-type": "application/grpc", "te": "trailers", "user-agent": "health-exporter/\(HealthExporterVersion.current)",
            "grpc-timeout": "\(max(1, timeout.milliseconds))m",
        ]
    }

    /// The length-prefixed `HealthCheckRequest { string service = 1; }`.
    func message(allocator: ByteBufferAllocator) -> ByteBuffer {
        var protobuf: [UInt8] = []
        if !service.isEmpty {
            protobuf.append(0x0A)  // field 1, length-delimited
            GRPCUnaryAnswer.appendVarint(UInt64(service.utf8.count), to: &protobuf)
            protobuf.append(contentsOf: service.utf8)
        }
        var buffer = allocator.buffer(capacity: 5 + protobuf.count)
        buffer.writeInteger(UInt8(0))  // not compressed
        buffer.writeInteger(UInt32(protobuf.count))
        buffer.writeBytes(protobuf)
        return buffer
    }
}

/// What came back on the stream: the HTTP status, the gRPC status and
/// message from the trailers, and the one response message.
struct GRPCUnaryAnswer: Sendable {
    var httpStatus: Int?
    var grpcStatus: Int?
    var grpcMessage: String?
    var message: [UInt8]?

    /// The `status` field (1, varint) of a `HealthCheckResponse`; 0 when absent;
    /// nil when the bytes are not protobuf.
    static func servingStatus(in message: [UInt8]) -> UInt64? {
        var index = 0
        var status: UInt64 = 0
        while index < message.count {
            guard let key = readVarint(message, &index) else { return nil }
            switch key & 7 {
            case 0:
                guard let value = readVarint(message, &index) else { return nil }
                if key >> 3 == 1 { status = value }
            case 1: index += 8
            case 2:
                guard let length = readVarint(message, &index), length <= UInt64(message.count - index) else { return nil }
                index += Int(length)
            case 5: index += 4
            default: return nil
            }
            guard index <= message.count else { return nil }
        }
        return status
    }

    static func readVarint(_ bytes: [UInt8], _ index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}

/// Sends one request on its stream when the stream becomes active, and
/// completes with the answer when the server ends the stream. A response
/// message over 64 KiB is refused (a health answer is a few bytes).
final class GRPCUnaryCallHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private static let maxBody = 64 * 1024
    private let request: GRPCUnaryRequest
    private let promise: EventLoopPromise<GRPCUnaryAnswer>
    private var answer = GRPCUnaryAnswer()
    private var body = ByteBuffer()
    private var done = false

    init(request: GRPCUnaryRequest, promise: EventLoopPromise<GRPCUnaryAnswer>) {
        self.request = request
        self.promise = promise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { send(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context: context)
        context.fireChannelActive()
    }

    private var sent = false

    private func send(context: ChannelHandlerContext) {
        guard !sent else { return }
        sent = true
        context.write(wrapOutboundOut(.headers(.init(headers: request.headers, endStream: false))), promise: nil)
        let message = request.message(allocator: context.channel.allocator)
        context.writeAndFlush(wrapOutboundOut(.data(.init(data: .byteBuffer(message), endStream: true))), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch unwrapInboundIn(data) {
        case .headers(let headers):
            if answer.httpStatus == nil, let status = headers.headers.first(name: ":status") {
                answer.httpStatus = Int(status)
            }
            if let code = headers.headers.first(name: "grpc-status") { answer.grpcStatus = Int(code) }
            if let message = headers.headers.first(name: "grpc-message") { answer.grpcMessage = message }
            if headers.endStream { finish(context: context) }
        case .data(let frame):
            if case .byteBuffer(var bytes) = frame.data {
                guard body.readableBytes + bytes.readableBytes <= Self.maxBody else {
                    fail(CheckFailure(.protocol, "the gRPC answer exceeds \(Self.maxBody) bytes"), context: context)
                    return
                }
                body.writeBuffer(&bytes)
            }
            if frame.endStream { finish(context: context) }
        case .rstStream(let code):
            fail(CheckFailure(.protocol, "the server reset the stream (\(code))"), context: context)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(CheckFailure(.protocol, "the stream closed before the answer"), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    private func finish(context: ChannelHandlerContext) {
        // One length-prefixed message, uncompressed.
        if body.readableBytes >= 5, let compressed = body.readInteger(as: UInt8.self), let length = body.readInteger(as: UInt32.self) {
            guard compressed == 0, Int(length) == body.readableBytes, let bytes = body.readBytes(length: Int(length)) else {
                fail(CheckFailure(.protocol, "the gRPC message framing is invalid (or compressed)"), context: context)
                return
            }
            answer.message = bytes
        } else if body.readableBytes > 0 {
            fail(CheckFailure(.protocol, "the gRPC message framing is invalid"), context: context)
            return
        }
        done = true
        promise.succeed(answer)
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        promise.fail(error)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension GRPCUnaryCallHandler: Sendable {}
