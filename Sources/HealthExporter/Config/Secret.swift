/// A secret from the configuration (a bearer token, a database password).
///
/// Its description never shows the value, so it cannot leak through a log
/// line, an error or a printed configuration; ``reveal()`` is explicit.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: [UInt8]

    public init(_ value: String) {
        self.value = Array(value.utf8)
    }

    /// The secret itself, for the one place that must send it.
    public func reveal() -> String {
        String(decoding: value, as: UTF8.self)
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
    public var debugDescription: String { "<redacted>" }
}

/// The admin routes' bearer token.
public typealias AdminToken = Secret
