/// A metric registration that cannot be honoured. The registry throws it
/// instead of crashing: a library embedding ours must not be able to take the
/// process down with a name clash.
public struct RegistryError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidName
            case invalidLabelName
            case conflictingRegistration
            case labelCountMismatch
            case invalidBuckets
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The metric name is not `[a-zA-Z_:][a-zA-Z0-9_:]*` (or a counter lacks `_total`).
        public static let invalidName = Code(.invalidName)
        /// A label name is not `[a-zA-Z_][a-zA-Z0-9_]*`, starts with `__`, or repeats.
        public static let invalidLabelName = Code(.invalidLabelName)
        /// The name is already registered with another type, help text, labels or buckets.
        public static let conflictingRegistration = Code(.conflictingRegistration)
        /// A series was asked for with the wrong number of label values.
        public static let labelCountMismatch = Code(.labelCountMismatch)
        /// Histogram buckets are empty, unsorted or not finite.
        public static let invalidBuckets = Code(.invalidBuckets)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
