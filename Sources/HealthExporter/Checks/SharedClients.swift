import AsyncHTTPClient
import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// What the checks of one service share: one HTTP client, made on first
/// use, and a logger. ``CheckFactory`` owns it and shuts it down last.
final class SharedClients: Sendable {
    let logger: Logger
    // Guards the lazily made HTTP client.
    private let http = NIOLockedValueBox<HTTPClient?>(nil)

    init(logger: Logger) {
        self.logger = logger
    }

    /// The shared HTTP client (connection pooling across every http check).
    func httpClient() -> HTTPClient {
        http.withLockedValue { client in
            if let client { return client }
            let made = HTTPClient(eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup.singleton))
            client = made
            return made
        }
    }

    func shutdown() async throws {
        let client = http.withLockedValue { client -> HTTPClient? in
            defer { client = nil }
            return client
        }
        try await client?.shutdown()
    }
}
