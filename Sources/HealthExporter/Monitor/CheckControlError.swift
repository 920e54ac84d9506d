import Telemetry

/// Why an admin request to force a check's outcome was refused.
public struct CheckControlError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unknownCheck
            case notControllable
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No check has that name.
        public static let unknownCheck = Code(.unknownCheck)
        /// The check's outcome comes from a real dependency and cannot be flipped.
        public static let notControllable = Code(.notControllable)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The check name as requested.
    public let check: String
    public let message: String

    static func unknownCheck(_ name: String, known: [String]) -> CheckControlError {
        let list = known.isEmpty ? "none are configured" : "configured: \(known.joined(separator: ", "))"
        return CheckControlError(code: .unknownCheck, check: name, message: "no check named \(JSONText.quoted(name)) (\(list))")
    }

    static func notControllable(_ name: String, kind: String) -> CheckControlError {
        CheckControlError(
            code: .notControllable,
            check: name,
            message: "check \(JSONText.quoted(name)) is of kind \(kind); only simulated checks can be failed or recovered"
        )
    }

    public var description: String { message }
}
