import NIOCore

/// Sits before the HTTP decoder and notes when the first bytes of a request
/// arrive, so a head trickled one byte at a time still meets its deadline
/// (`limits.headerTimeout`): the idle timer alone is reset by every byte.
final class RequestStartObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let record: ConnectionRecord

    init(record: ConnectionRecord) {
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        record.bytesArrived(now: NIODeadline.now().uptimeNanoseconds)
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension RequestStartObserver: Sendable {}
