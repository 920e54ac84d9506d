import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Telemetry

/// One TLS handshake with a dependency, to learn its leaf certificate: the
/// `tls` kind's whole run, and how `https`, `postgres` and `redis` checks
/// read the certificate of a server their client library talks to.
///
/// The NIOSSL context is made once per check and reused; the connection is
/// closed as soon as the handshake ends.
struct TLSHandshake: Sendable {
    /// What is said in clear before the handshake.
    enum Preamble: Sendable {
        case none
        /// PostgreSQL's `SSLRequest`; a server that answers `N` has no TLS.
        case postgresSSLRequest
    }

    let settings: TLSClientSettings
    let context: NIOSSLContext
    /// The same settings without verification: after a failed verification,
    /// a second handshake reads the leaf, to tell `expired` from `tls`.
    let inspection: NIOSSLContext
    let preamble: Preamble

    init(settings: TLSClientSettings, preamble: Preamble = .none) throws {
        self.settings = settings
        self.context = try NIOSSLContext(configuration: settings.configuration)
        var unverified = settings
        unverified.verify = false
        self.inspection = settings.verify ? try NIOSSLContext(configuration: unverified.configuration) : context
        self.preamble = preamble
    }

    /// The leaf certificate `address` presents, after verification when the
    /// settings ask for it; nil when a PostgreSQL server declines TLS.
    ///
    /// - Throws: ``CheckFailure``: `expired` when the leaf is past its
    ///   notAfter, `tls` for any other handshake failure, or a connection
    ///   failure's reason. After a failed verification the leaf is read by a
    ///   second, unverified handshake, and its notAfter still reported.
    func leafCertificate(
        of address: HostPort, timeout: Duration, report: CheckRunReport?, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> NIOSSLCertificate? {
        let target = "TLS \(address)"
        do {
            let leaf = try await handshake(context, address: address, timeout: timeout, group: group)
            if let leaf { report?.certificateExpires(at: leaf.notAfter) }
            return leaf
        } catch {
            guard Self.isTLSError(error) else { throw CheckFailure.classify(error, target: target) }
            let leaf = await inspect(address, timeout: timeout, group: group)
            if let leaf { report?.certificateExpires(at: leaf.notAfter) }
            throw Self.classify(error, leaf: leaf, target: target)
        }
    }

    /// The leaf `address` presents, unverified; nil when that fails too.
    func inspect(_ address: HostPort, timeout: Duration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async -> NIOSSLCertificate? {
        (try? await handshake(inspection, address: address, timeout: timeout, group: group)) ?? nil
    }

    private func handshake(_ context: NIOSSLContext, address: HostPort, timeout: Duration, group: any EventLoopGroup) async throws -> NIOSSLCertificate? {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(timeout))
            .connect(host: address.host, port: address.port)
            .get()
        defer { channel.close(promise: nil) }
        return try await withTaskCancellationHandler {
            if case .postgresSSLRequest = preamble {
                guard try await Self.postgresAcceptsTLS(channel) else { return nil }
            }
            let done = channel.eventLoop.makePromise(of: NIOSSLCertificate?.self)
            let sni = settings.sniName(connectingTo: address.host)
            do {
                try await channel.eventLoop.submit {
                    let ssl = try NIOSSLClientHandler(context: context, serverHostname: sni)
                    try channel.pipeline.syncOperations.addHandler(ssl)
                    try channel.pipeline.syncOperations.addHandler(HandshakeWaiter(ssl: ssl, promise: done))
                }.get()
            } catch {
                done.fail(error)
                throw error
            }
            return try await done.futureResult.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    static func isTLSError(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }

    static func classify(_ error: any Error, leaf: NIOSSLCertificate?, target: String) -> CheckFailure {
        if let failure = error as? CheckFailure { return failure }
        return failure(error, notAfter: leaf?.notAfter, target: target) ?? CheckFailure.classify(error, target: target)
    }

    /// A TLS error as a check's failure: `expired` when the certificate's
    /// notAfter (if known) has passed, else `tls`; nil for any other error.
    static func failure(_ error: any Error, notAfter: WallClockTimestamp?, target: String) -> CheckFailure? {
        guard isTLSError(error) else { return nil }
        if let notAfter, notAfter < WallClockTimestamp.now() {
            return CheckFailure(.expired, "\(target): certificate expired at \(notAfter.rfc3339)")
        }
        return CheckFailure(.tls, "\(target): TLS handshake failed: \(describe(error))")
    }

    /// OpenSSL's reason ("certificate verify failed", "unknown ca"), not the
    /// error's full text, which can be long.
    static func describe(_ error: any Error) -> String {
        let text = "\(error)".lowercased()
        for known in [
            "certificate verify failed", "unable to get local issuer certificate", "self signed certificate", "self-signed certificate",
            "hostname mismatch", "unknown ca", "certificate required", "wrong version number", "certificate expired", "hostname",
        ] where text.contains(known) {
            return known
        }
        return "\(type(of: error))"
    }

    /// Sends `SSLRequest` and reads the one-byte answer.
    private static func postgresAcceptsTLS(_ channel: any Channel) async throws -> Bool {
        let answer = channel.eventLoop.makePromise(of: UInt8.self)
        do {
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(FirstByteReader(promise: answer), name: FirstByteReader.name)
            }.get()
        } catch {
            answer.fail(error)
            throw error
        }
        var request = channel.allocator.buffer(capacity: 8)
        request.writeInteger(Int32(8))
        request.writeInteger(Int32(80_877_103))
        try await channel.writeAndFlush(request).get()
        let byte = try await answer.futureResult.get()
        try await channel.pipeline.removeHandler(name: FirstByteReader.name).get()
        switch byte {
        case UInt8(ascii: "S"): return true
        case UInt8(ascii: "N"): return false
        default: throw CheckFailure(.protocol, "PostgreSQL answered SSLRequest with byte \(byte)")
        }
    }
}

extension NIOSSLCertificate {
    /// notAfter as a timestamp.
    var notAfter: WallClockTimestamp {
        WallClockTimestamp(nanosecondsSinceEpoch: Int64(notValidAfter) * 1_000_000_000)
    }
}

/// Completes with the peer's certificate once the handshake is done; fails on
/// an error or a close before that.
private final class HandshakeWaiter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let ssl: NIOSSLClientHandler
    private let promise: EventLoopPromise<NIOSSLCertificate?>

    init(ssl: NIOSSLClientHandler, promise: EventLoopPromise<NIOSSLCertificate?>) {
        self.ssl = ssl
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            promise.succeed(ssl.peerCertificate)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(CheckFailure(.protocol, "connection closed during the TLS handshake"))
        context.fireChannelInactive()
    }
}

/// Reads one byte (PostgreSQL's answer to `SSLRequest`).
private final class FirstByteReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    static let name = "first-byte"

    private let promise: EventLoopPromise<UInt8>

    init(promise: EventLoopPromise<UInt8>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if let byte = buffer.readInteger(as: UInt8.self) { promise.succeed(byte) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(CheckFailure(.protocol, "connection closed before PostgreSQL answered SSLRequest"))
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension HandshakeWaiter: Sendable {}

@available(*, unavailable)
extension FirstByteReader: Sendable {}
