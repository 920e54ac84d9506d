/// The bearer token that opens the admin routes to peers off loopback.
///
/// Its description never shows the secret, so it cannot leak through a log
/// line or an error that prints the configuration.
public struct AdminToken: Sendable, Equatable, CustomStringConvertible {
    private let value: [UInt8]

    public init(_ value: String) {
        self.value = Array(value.utf8)
    }

    /// Compares in time independent of where the first difference is.
    public func matches(_ candidate: Substring) -> Bool {
        let candidateBytes = Array(candidate.utf8)
        var difference = UInt8(truncatingIfNeeded: candidateBytes.count ^ value.count)
        for index in value.indices {
            let other = index < candidateBytes.count ? candidateBytes[index] : 0
            difference |= value[index] ^ other
        }
        return difference == 0
    }

    public var description: String { "<redacted>" }
}
