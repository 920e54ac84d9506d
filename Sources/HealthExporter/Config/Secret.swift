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

    /// Compares in time independent of where the first difference is (and
    /// of the candidate's content; only its length shows).
    public func matches(_ candidate: Substring) -> Bool {
        // The length difference is kept whole: truncated to a byte, a
        // candidate 256 bytes longer than the secret would compare equal.
        var difference = UInt(bitPattern: candidate.utf8.count ^ value.count)
        var index = value.startIndex
        for byte in candidate.utf8 {
            let mine = index < value.endIndex ? value[index] : 0
            difference |= UInt(mine ^ byte)
            if index < value.endIndex { index += 1 }
        }
        return difference == 0 && !value.isEmpty
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

/// The admin routes' bearer token.
public typealias AdminToken = Secret
