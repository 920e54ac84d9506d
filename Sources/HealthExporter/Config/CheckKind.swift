/// What a check does, with the options of that kind.
public enum CheckKind: Sendable, Equatable {
    /// A flag flipped by the admin routes (fault drills, and the seed's demo).
    case simulated(SimulatedOptions)

    /// Options of a `simulated` check.
    public struct SimulatedOptions: Sendable, Equatable {
        /// Shown as the failure's output, and as `/ready`'s `detail` (the seed's
        /// "Database not available").
        public var detail: String?
        /// Whether the flag starts failed. Default false (healthy).
        public var startFailing: Bool

        public init(detail: String? = nil, startFailing: Bool = false) {
            self.detail = detail
            self.startFailing = startFailing
        }
    }

    /// The kind's name as written in `kind:`.
    public var name: String {
        switch self {
        case .simulated: return "simulated"
        }
    }

    /// Every kind name this build implements, for error messages.
    public static let implementedKinds = ["simulated"]
}
