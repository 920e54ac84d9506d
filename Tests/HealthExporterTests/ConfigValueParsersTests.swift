import Testing

@testable import HealthExporter

@Suite("Durations, sizes and listen addresses")
struct ConfigValueParsersTests {
    @Test(
        "durations parse Go-style",
        arguments: [
            ("500ms", Duration.milliseconds(500)), ("2s", .seconds(2)), ("1m", .seconds(60)), ("1h", .seconds(3600)),
            ("1m30s", .seconds(90)), ("1.5s", .milliseconds(1500)), ("250us", .microseconds(250)), ("10ns", .nanoseconds(10)),
            (" 3s ", .seconds(3)), ("-2s", .seconds(-2)),
        ]
    )
    func durations(_ text: String, _ expected: Duration) {
        #expect(ConfigValueParsers.duration(text) == expected)
    }

    @Test("malformed durations are rejected", arguments: ["", "10", "s", "2 s", "2x", "1m30", "ms", "--1s", "1.2.3s"])
    func malformedDurations(_ text: String) {
        #expect(ConfigValueParsers.duration(text) == nil)
    }

    @Test("durations format the way the configuration writes them", arguments: [
        (Duration.seconds(2), "2s"), (.milliseconds(500), "500ms"), (.seconds(90), "1m30s"), (.seconds(3600), "1h"), (.zero, "0s"),
    ])
    func formatting(_ duration: Duration, _ text: String) {
        #expect(ConfigValueParsers.format(duration) == text)
    }

    @Test("sizes parse binary and decimal units", arguments: [
        ("512", Int64(512)), ("8KiB", 8192), ("512MiB", 536_870_912), ("1GiB", 1_073_741_824), ("64KB", 64_000), ("1.5KiB", 1536), ("10B", 10),
    ])
    func sizes(_ text: String, _ expected: Int64) {
        #expect(ConfigValueParsers.byteSize(text) == expected)
    }

    @Test("malformed sizes are rejected", arguments: ["", "KiB", "1 XB", "one MiB", "1e400GiB"])
    func malformedSizes(_ text: String) {
        #expect(ConfigValueParsers.byteSize(text) == nil)
    }

    @Test("listen addresses", arguments: [
        ("127.0.0.1:8000", "127.0.0.1", 8000, true), ("0.0.0.0:80", "0.0.0.0", 80, false),
        ("[::1]:9000", "::1", 9000, true), ("localhost:1", "localhost", 1, true), ("[::]:0", "::", 0, false),
    ])
    func listen(_ text: String, _ host: String, _ port: Int, _ loopback: Bool) throws {
        let address = try #require(ListenAddress(parsing: text))
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.isLoopback == loopback)
        #expect(ListenAddress(parsing: address.description) == address)
    }

    @Test("malformed listen addresses", arguments: ["8000", ":8000", "::1:8000", "[::1]8000", "host:", "host:-1", "host:65536", "a b:1"])
    func malformedListen(_ text: String) {
        #expect(ListenAddress(parsing: text) == nil)
    }
}
