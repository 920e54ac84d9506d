import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import Telemetry

/// Passes when Redis answers `PING` with `PONG`, after `AUTH [user] password`
/// when a password is configured. Speaks RESP directly over one short-lived
/// connection, over TLS for `rediss://`, whose leaf certificate's notAfter
/// it reports.
public struct RedisCheck: HealthCheck {
    public let options: CheckKind.RedisOptions
    let timeout: Duration
    let group: any EventLoopGroup
    /// The TLS contexts for `rediss://`: its verified one is the connection's.
    private let tls: TLSHandshake?

    public init(options: CheckKind.RedisOptions, timeout: Duration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.options = options
        self.timeout = timeout
        self.group = group
        self.tls = try options.tls.map { try TLSHandshake(settings: $0) }
    }

    public func run() async throws {
        try await run(report: CheckRunReport())
    }

    public func run(report: CheckRunReport) async throws {
        let target = "redis \(options.address)"
        var commands = [["PING"]]
        if let password = options.password {
            commands.insert(["AUTH"] + (options.user.map { [$0] } ?? []) + [password.reveal()], at: 0)
        }
        let replies = group.next().makePromise(of: [RESPReply].self)
        let expected = commands.count
        let sni = options.tls?.sniName(connectingTo: options.address.host)
        let tlsContext = tls?.context
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(timeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tlsContext {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: sni))
                        }
                        try channel.pipeline.syncOperations.addHandler(RESPReplyCollector(expected: expected, promise: replies))
                    }
                }
                .connect(host: options.address.host, port: options.address.port)
                .get()
        } catch {
            replies.fail(error)
            throw CheckFailure.classify(error, target: target)
        }
        defer { channel.close(promise: nil) }
        let received: [RESPReply]
        do {
            received = try await withTaskCancellationHandler {
                var request = channel.allocator.buffer(capacity: 64)
                for command in commands { Self.encode(command, into: &request) }
                channel.writeAndFlush(request, promise: nil)
                return try await replies.futureResult.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            // Verification failed: read the leaf unverified, to tell expired from tls.
            let leaf = TLSHandshake.isTLSError(error) ? await tls?.inspect(options.address, timeout: timeout, group: group) : nil
            if let leaf { report.certificateExpires(at: leaf.notAfter) }
            throw TLSHandshake.classify(error, leaf: leaf, target: target)
        }
        if tlsContext != nil, let leaf = try? await channel.pipeline.handler(type: NIOSSLClientHandler.self).map({ $0.peerCertificate }).get() {
            report.certificateExpires(at: leaf.notAfter)
        }
        if options.password != nil, case .error(let message) = received.first {
            // Redis's own words (WRONGPASS, NOAUTH…) never contain the password.
            throw CheckFailure(.auth, "\(target): AUTH refused: \(message.prefix(80))")
        }
        switch received.last {
        case .simple("PONG"), .bulk("PONG"):
            return
        case .error(let message) where message.hasPrefix("NOAUTH") || message.hasPrefix("NOPERM"):
            throw CheckFailure(.auth, "\(target): \(message.prefix(80))")
        case .error(let message):
            throw CheckFailure(.protocol, "\(target): PING answered error \(message.prefix(80))")
        case let other?:
            throw CheckFailure(.protocol, "\(target): PING answered \(String(describing: other).prefix(80))")
        case nil:
            throw CheckFailure(.protocol, "\(target): no reply")
        }
    }

    /// A RESP array of bulk strings.
    static func encode(_ command: [String], into buffer: inout ByteBuffer) {
        buffer.writeString("*\(command.count)\r\n")
        for part in command {
            buffer.writeString("$\(part.utf8.count)\r\n\(part)\r\n")
        }
    }
}

/// Collects `expected` RESP replies, then completes the promise; a close,
/// an error or bytes that are not RESP fail it.
final class RESPReplyCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let expected: Int
    private let promise: EventLoopPromise<[RESPReply]>
    private var pending = ByteBuffer()
    private var replies: [RESPReply] = []
    private var done = false

    init(expected: Int, promise: EventLoopPromise<[RESPReply]>) {
        self.expected = expected
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        var incoming = unwrapInboundIn(data)
        pending.writeBuffer(&incoming)
        do {
            while replies.count < expected, let reply = try RESPReply.read(from: &pending) {
                replies.append(reply)
            }
        } catch {
            finish(CheckFailure(.protocol, "reply is not RESP: \(error.problem)"))
            context.close(promise: nil)
            return
        }
        if replies.count >= expected {
            done = true
            promise.succeed(replies)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(CheckFailure(.protocol, "connection closed before the reply"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(error)
        context.close(promise: nil)
    }

    private func finish(_ error: any Error) {
        guard !done else { return }
        done = true
        promise.fail(error)
    }
}

@available(*, unavailable)
extension RESPReplyCollector: Sendable {}
