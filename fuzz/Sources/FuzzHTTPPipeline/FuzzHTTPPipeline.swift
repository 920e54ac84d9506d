import Logging
import NIOCore
import NIOEmbedded

@testable import HealthExporter

/// Raw bytes into a connection's real pipeline (decoder and handler, as the
/// server builds it) on an `EmbeddedChannel`, cut into pieces at offsets the
/// input chooses, so split and pipelined requests are both explored.
///
/// Besides crashes, it checks what a client may rely on: every answer starts
/// with an HTTP/1.1 status line, and nothing is written after a close.
private let monitor = HealthMonitor(
    checks: [
        CheckConfig(name: "database", kind: .simulated(.init(detail: "Database not available")), probes: [.readiness, .startup]),
        CheckConfig(name: "disk", kind: .simulated(.init()), probes: [.liveness, .readiness]),
    ],
    logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
)

private let dependencies: ProbeHTTPHandler.Dependencies = {
    let router = ProbeRouter(
        monitor: monitor, admin: .init(enabled: true, tokenFile: "/run/token", token: AdminToken("fuzz-token")),
        details: .loopback, version: "fuzz")
    return ProbeHTTPHandler.Dependencies(
        router: router,
        answers: AnswerStore(renderer: router.answers, monitor: monitor),
        limits: .init(maxHeaderBytes: 2048, maxBodyBytes: 1024),
        logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() }),
        metrics: nil,
        listenerIsLoopback: true
    )
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let splitSeed = bytes.first else { return 0 }
    let payload = bytes.dropFirst()

    let channel = EmbeddedChannel()
    do {
        try ProbeServer.addConnectionHandlers(to: channel.pipeline.syncOperations, dependencies: dependencies, record: nil)
        try channel.connect(to: SocketAddress(ipAddress: splitSeed & 1 == 0 ? "127.0.0.1" : "10.0.0.9", port: 4000)).wait()
    } catch {
        fatalError("could not set up the pipeline: \(error)")
    }
    // Piece sizes cycle through 1...(seed/2 + 1) bytes: seed 0 sends one byte at a time.
    let step = Int(splitSeed >> 1) + 1
    var offset = payload.startIndex
    var piece = 1
    var output: [UInt8] = []
    while offset < payload.endIndex, channel.isActive {
        let end = min(offset + piece, payload.endIndex)
        var buffer = channel.allocator.buffer(capacity: end - offset)
        buffer.writeBytes(payload[offset..<end])
        _ = try? channel.writeInbound(buffer)
        while let written = try? channel.readOutbound(as: ByteBuffer.self) {
            output.append(contentsOf: written.readableBytesView)
        }
        offset = end
        piece = piece % step + 1
    }
    if !output.isEmpty, !output.starts(with: Array("HTTP/1.1 ".utf8)) {
        fatalError("an answer does not start with a status line: \(String(decoding: output.prefix(80), as: UTF8.self))")
    }
    let wasActive = channel.isActive
    _ = try? channel.finish()
    if !wasActive, (try? channel.readOutbound(as: ByteBuffer.self)) != nil {
        fatalError("bytes written after the connection closed")
    }
    // Each EmbeddedChannel has its own loop, which keeps its scheduled tasks
    // (the idle timer) and so the pipeline: shut it down, or every input leaks.
    try? channel.embeddedEventLoop.syncShutdownGracefully()
    return 0
}
