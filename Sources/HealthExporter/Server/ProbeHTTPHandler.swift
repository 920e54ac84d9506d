import Logging
import NIOCore
import NIOExtras
import NIOHTTP1

/// Answers HTTP/1.1 requests on one connection, on its event loop, without
/// ever waiting: every answer is computed from the current snapshot the moment
/// the request ends, so pipelined requests are answered in order by
/// construction. Writes are flushed once per read burst.
///
/// It also enforces the per-request limits (431 for oversized heads, 413 for
/// bodies, 408 when the ``ConnectionTable`` reports a head or body that is
/// arriving too slowly), closes idle connections, stops reading while the
/// peer is not reading its answers, and closes gracefully when the server
/// quiesces. It reports each request's progress to its ``ConnectionRecord``.
final class ProbeHTTPHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What every connection shares.
    struct Dependencies: Sendable {
        let router: ProbeRouter
        let answers: AnswerStore
        let limits: HealthExporterConfig.Limits
        let logger: Logger
        let metrics: HealthMetrics?
        /// Whether the listening socket is loopback-only; nil to read it from
        /// each connection's listener (a channel with no parent, as in tests
        /// on an `EmbeddedChannel`, then counts as not loopback).
        var listenerIsLoopback: Bool? = nil
    }

    /// The request being received, decided at its head.
    private enum Pending {
        /// A hot route (its index in ``Route/hot``): answered from pre-encoded bytes.
        case prebuilt(Int, head: Bool)
        /// Anything else: routed and rendered when the request ends.
        case routed(ProbeRequest, connection: HTTPAnswer.ConnectionHeader, head: Bool)
    }

    private enum State {
        case idle
        case receiving(Pending, bodyBytes: Int)
        /// A response that ends the connection is on its way; ignore the rest.
        case closing
    }

    private let dependencies: Dependencies
    private let record: ConnectionRecord?
    private var state = State.idle
    private var quiescing = false
    private var peer = ConnectionPeer(address: nil, isLoopback: false, listenerIsLoopback: false)
    private var needsFlush = false
    private var readPending = false
    private var outputBuffer: ByteBuffer?
    private var requestStart = NIODeadline.uptimeNanoseconds(0)

    /// - Parameter record: Where this connection's progress is reported (the
    ///   server's ``ConnectionTable``); nil when nothing watches it.
    init(dependencies: Dependencies, record: ConnectionRecord? = nil) {
        self.dependencies = dependencies
        self.record = record
    }

    func handlerAdded(context: ChannelHandlerContext) {
        outputBuffer = context.channel.allocator.buffer(capacity: 512)
        if context.channel.isActive { notePeer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        notePeer(context)
        context.fireChannelActive()
    }

    private func notePeer(_ context: ChannelHandlerContext) {
        peer = ConnectionPeer(channel: context.channel)
        if let listenerIsLoopback = dependencies.listenerIsLoopback {
            peer.listenerIsLoopback = listenerIsLoopback
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (_, .closing):
            return
        case (.head(let head), .idle):
            receiveHead(head, context: context)
        case (.body(let chunk), .receiving(let pending, let bodyBytes)):
            let total = bodyBytes + chunk.readableBytes
            if total > dependencies.limits.maxBodyBytes {
                respondAndClose(.detail(.payloadTooLarge, "request body is larger than \(dependencies.limits.maxBodyBytes) bytes"), context: context)
            } else {
                state = .receiving(pending, bodyBytes: total)
            }
        case (.end, .receiving(let pending, _)):
            state = .idle
            record?.requestCompleted(now: requestStart.uptimeNanoseconds)
            answer(pending, context: context)
        default:
            // A part out of order means the decoder and we disagree: give up on the connection.
            respondAndClose(.badRequest, context: context)
        }
    }

    private func receiveHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        requestStart = .now()
        record?.headReceived(now: requestStart.uptimeNanoseconds)
        let limits = dependencies.limits
        if Self.headSize(head) > limits.maxHeaderBytes {
            respondAndClose(.detail(.requestHeaderFieldsTooLarge, "request line and headers are larger than \(limits.maxHeaderBytes) bytes"), context: context)
            return
        }
        if let length = head.headers.first(name: "content-length").flatMap({ Int($0) }), length > limits.maxBodyBytes {
            respondAndClose(.detail(.payloadTooLarge, "request body is larger than \(limits.maxBodyBytes) bytes"), context: context)
            return
        }
        if head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
            var interim = context.channel.allocator.buffer(capacity: 32)
            interim.writeStaticString("HTTP/1.1 100 Continue\r\n\r\n")
            context.writeAndFlush(wrapOutboundOut(interim), promise: nil)
        }
        let isHead = head.method == .HEAD
        let keepAlive = head.isKeepAlive && !quiescing
        if keepAlive, head.version == .http1_1, head.method == .GET || isHead,
            let route = Route.hotIndex(uri: head.uri), !ProbeRequest.prefersText(head.headers)
        {
            state = .receiving(.prebuilt(route, head: isHead), bodyBytes: 0)
        } else {
            let connection: HTTPAnswer.ConnectionHeader =
                !keepAlive ? .close : (head.version.minor == 0 ? .keepAlive : .implicitKeepAlive)
            let request = ProbeRequest(head: head, connection: peer)
            state = .receiving(.routed(request, connection: connection, head: isHead), bodyBytes: 0)
        }
    }

    private func answer(_ pending: Pending, context: ChannelHandlerContext) {
        switch pending {
        case .prebuilt(let route, let head) where !quiescing:
            let answers = dependencies.answers.answers
            dependencies.logger.debug(
                "request",
                metadata: ["path": "\(Route.hot[route].path)", "status": "\(answers.status(for: route).code)"]
            )
            context.write(wrapOutboundOut(answers.bytes(for: route, head: head)), promise: nil)
            needsFlush = true
            recordProbe(answers.probe(for: route), code: answers.status(for: route).code)
        case .prebuilt(let route, let head):
            // Quiescing began after the head: the pre-encoded bytes say keep-alive, so render afresh.
            let request = ProbeRequest(
                method: head ? .HEAD : .GET, path: Route.hot[route].path,
                peerIsLoopback: peer.isLoopback, listenerIsLoopback: peer.listenerIsLoopback, peer: peer.address)
            routed(request, connection: .close, head: head, context: context)
        case .routed(let request, let connection, let head):
            routed(request, connection: quiescing ? .close : connection, head: head, context: context)
        }
    }

    private func routed(_ request: ProbeRequest, connection: HTTPAnswer.ConnectionHeader, head: Bool, context: ChannelHandlerContext) {
        let answer = dependencies.router.answer(request, snapshot: dependencies.answers.answers.snapshot)
        dependencies.logger.debug(
            "request",
            metadata: ["method": "\(request.method)", "path": "\(request.path)", "status": "\(answer.status.code)"]
        )
        write(answer, includeBody: !head, connection: connection, context: context, thenClose: connection == .close)
        if let probe = request.route.probe {
            recordProbe(probe, code: answer.status.code)
        }
    }

    private func recordProbe(_ probe: Probe, code: UInt) {
        guard let metrics = dependencies.metrics else { return }
        let elapsed = NIODeadline.now().uptimeNanoseconds &- requestStart.uptimeNanoseconds
        metrics.recordProbeRequest(probe, code: code, duration: .nanoseconds(Int64(truncatingIfNeeded: elapsed)))
    }

    private func respondAndClose(_ answer: HTTPAnswer, context: ChannelHandlerContext) {
        write(answer, includeBody: true, connection: .close, context: context, thenClose: true)
    }

    private func write(_ answer: HTTPAnswer, includeBody: Bool, connection: HTTPAnswer.ConnectionHeader, context: ChannelHandlerContext, thenClose: Bool) {
        var buffer = outputBuffer ?? context.channel.allocator.buffer(capacity: 512)
        outputBuffer = nil
        buffer.clear()
        answer.encode(into: &buffer, includeBody: includeBody, connection: connection)
        guard thenClose else {
            context.write(wrapOutboundOut(buffer), promise: nil)
            needsFlush = true
            return
        }
        state = .closing
        needsFlush = false
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    // Stop reading while the peer is not reading what we wrote: a client that
    // pipelines without reading cannot make us buffer without bound.
    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readPending = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, readPending {
            readPending = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is IdleStateHandler.IdleStateEvent:
            context.close(promise: nil)
        case let timeout as RequestTimeoutEvent:
            if case .closing = state { return }
            let limits = dependencies.limits
            let text =
                switch timeout {
                case .header: "request head not complete within \(ConfigValueParsers.format(limits.headerTimeout))"
                case .body: "request body not complete within \(ConfigValueParsers.format(limits.bodyTimeout))"
                }
            respondAndClose(.detail(.requestTimeout, text), context: context)
        case is ChannelShouldQuiesceEvent:
            quiescing = true
            guard case .idle = state else { return }  // the answer under way says Connection: close
            // A keep-alive client's next request may already be on its way:
            // closing now would leave it unanswered (and reset). Give it a
            // moment to arrive and be answered with Connection: close.
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: Self.quiesceGrace) {
                if case .idle = handler.value.state { loopBound.value.close(promise: nil) }
            }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .closing = state {
            context.close(promise: nil)
        } else if error is HTTPParserError {
            respondAndClose(.badRequest, context: context)
        } else {
            context.close(promise: nil)
        }
    }

    /// How long an idle keep-alive connection stays open once the server
    /// quiesces, so a request already in flight is answered, not lost.
    static let quiesceGrace = TimeAmount.milliseconds(250)

    /// Request line plus header fields, as sent on the wire (approximately).
    static func headSize(_ head: HTTPRequestHead) -> Int {
        var size = head.uri.utf8.count + 16
        for (name, value) in head.headers {
            size += name.utf8.count + value.utf8.count + 4
        }
        return size
    }
}

@available(*, unavailable)
extension ProbeHTTPHandler: Sendable {}
