import NIOCore
import NIOPosix

/// Passes when Redis answers `PING` with `PONG` (after `AUTH` when a password
/// is configured). Speaks RESP directly over one short-lived connection.
public struct RedisCheck: HealthCheck {
    public let options: CheckKind.RedisOptions
    let timeout: Duration
    let group: any EventLoopGroup

    public init(options: CheckKind.RedisOptions, timeout: Duration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.options = options
        self.timeout = timeout
        self.group = group
    }

    public func run() async throws {
        let target = "redis \(options.address)"
        var commands = [["PING"]]
        if let password = options.password {
            commands.insert(["AUTH", password.reveal()], at: 0)
        }
        let replies = group.next().makePromise(of: [String].self)
        let expected = commands.count
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(timeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
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
        let lines: [String]
        do {
            lines = try await withTaskCancellationHandler {
                var request = channel.allocator.buffer(capacity: 64)
                for command in commands { Self.encode(command, into: &request) }
                channel.writeAndFlush(request, promise: nil)
                return try await replies.futureResult.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            throw CheckFailure.classify(error, target: target)
        }
        if options.password != nil, let auth = lines.first, auth.hasPrefix("-") {
            // Redis's own words (WRONGPASS, NOAUTH…) never contain the password.
            throw CheckFailure(.auth, "\(target): AUTH refused: \(auth.dropFirst().prefix(80))")
        }
        guard let pong = lines.last else { throw CheckFailure(.protocol, "\(target): no reply") }
        if pong.hasPrefix("-NOAUTH") {
            throw CheckFailure(.auth, "\(target): authentication required")
        }
        guard pong == "+PONG" else {
            throw CheckFailure(.protocol, "\(target): PING answered \(pong.prefix(80))")
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

/// Collects `expected` single-line RESP replies (`+OK`, `-ERR …`, `:1`), then
/// completes the promise; a close or error before that fails it.
final class RESPReplyCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let expected: Int
    private let promise: EventLoopPromise<[String]>
    private var pending = ""
    private var lines: [String] = []
    private var done = false

    init(expected: Int, promise: EventLoopPromise<[String]>) {
        self.expected = expected
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        pending += String(buffer: unwrapInboundIn(data))
        while let newline = pending.firstIndex(of: "\r\n") {
            lines.append(String(pending[..<newline]))
            pending = String(pending[pending.index(after: newline)...])
        }
        if lines.count >= expected {
            done = true
            promise.succeed(lines)
        } else if pending.utf8.count > 4096 {
            finish(CheckFailure(.protocol, "reply is not RESP"))
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
