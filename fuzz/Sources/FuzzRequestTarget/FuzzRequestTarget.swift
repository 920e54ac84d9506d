import Logging
import NIOCore
import NIOHTTP1

@testable import HealthExporter

/// Request targets (path and query) into every parser that reads them: the
/// request parser, the prebuilt-route lookup, the probe lookup, and the
/// router itself, for each method the first byte picks.
private let monitor = HealthMonitor(
    checks: [
        CheckConfig(name: "database", kind: .simulated(.init(detail: "Database not available"))),
        CheckConfig(name: "x.y_z-1", kind: .simulated(.init()), probes: [.liveness, .readiness, .startup]),
    ],
    logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
)
private let router = ProbeRouter(monitor: monitor, admin: .init(enabled: true), details: .always, version: "fuzz")
private let methods: [HTTPMethod] = [.GET, .HEAD, .POST, .PUT, .DELETE, .OPTIONS]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let selector = bytes.first else { return 0 }
    let uri = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let head = HTTPRequestHead(version: .http1_1, method: methods[Int(selector) % methods.count], uri: uri)
    let peer = ConnectionPeer(address: "127.0.0.1", isLoopback: selector & 0x80 == 0, listenerIsLoopback: selector & 0x40 == 0)
    let request = ProbeRequest(head: head, connection: peer)
    _ = Route.hotIndex(uri: uri)
    _ = Probe(requestPath: request.path)
    let answer = router.answer(request, snapshot: monitor.snapshot)
    if answer.status.code < 200 || answer.status.code > 599 {
        fatalError("status \(answer.status.code) for \(uri)")
    }
    var buffer = ByteBufferAllocator().buffer(capacity: 256)
    answer.encode(into: &buffer, includeBody: true, connection: .close)
    return 0
}
