import Foundation
import NIOConcurrencyHelpers
import NIOCore
import TestSupport

/// The official Python `grpc.health.v1` client (PyPI `grpcio-health-checking`),
/// through `scripts/grpc-health`: what the gRPC tests prove is what any gRPC
/// client sees, not what a client of our own writing believes.
enum GRPCHealthClient {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/grpc-health").path

    /// `Check(service)`: `SERVING`, `NOT_SERVING`, or the RPC error's code (`NOT_FOUND`).
    static func check(port: Int, _ service: String = "") throws -> String {
        try run(["check", "127.0.0.1:\(port)", service]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `List`: status by service name.
    static func list(port: Int) throws -> [String: String] {
        let text = try run(["list", "127.0.0.1:\(port)"])
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return object as? [String: String] ?? [:]
    }

    private static func run(_ arguments: [String]) throws -> String {
        try ExecutableUnderTest.output(of: "/usr/bin/env", ["python3", script] + arguments)
    }

    /// A `Watch` stream held open by a client process; each status it receives
    /// is kept with the client's `CLOCK_MONOTONIC` time of arrival.
    final class Watch: @unchecked Sendable {
        struct Message: Equatable {
            /// CLOCK_MONOTONIC seconds when the client received it.
            var time: Double
            /// `SERVING`, `NOT_SERVING`, `SERVICE_UNKNOWN`; `END <code>` when the call ended.
            var status: String
        }

        private let process = Process()
        private let lines = NIOLockedValueBox<[Message]>([])
        private var read = 0

        init(port: Int, _ service: String = "") throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", GRPCHealthClient.script, "watch", "127.0.0.1:\(port)", service]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let lines = self.lines
            let handle = output.fileHandleForReading
            Thread.detachNewThread {
                var buffered = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { return }
                    buffered.append(chunk)
                    while let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: buffered[buffered.startIndex..<newline], as: UTF8.self)
                        buffered = Data(buffered[buffered.index(after: newline)...])
                        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                        let message =
                            parts.first == "END"
                            ? Message(time: 0, status: line)
                            : Message(time: Double(parts.first ?? "") ?? 0, status: parts.count > 1 ? parts[1] : line)
                        lines.withLockedValue { $0.append(message) }
                    }
                }
            }
        }

        /// The next message not yet returned, waiting up to `seconds` for it.
        func next(within seconds: Double = 10) -> Message? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let message: Message? = lines.withLockedValue { $0.count > read ? $0[read] : nil }
                if let message {
                    read += 1
                    return message
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
            return nil
        }

        /// Every message received so far (returned or not).
        var received: [Message] { lines.withLockedValue { $0 } }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            _ = process.waitForExit()
        }

        deinit { stop() }
    }
}

/// CLOCK_MONOTONIC in seconds (NIO's deadlines read it), the clock
/// `scripts/grpc-health watch` stamps messages with.
func monotonicSeconds() -> Double {
    Double(NIODeadline.now().uptimeNanoseconds) / 1e9
}
