/// What a metric family is: name, help text, type, label names (and buckets).
/// Two registrations of one name must agree on all of it.
public struct MetricDescriptor: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case counter
        case gauge
        case histogram
    }

    public let name: String
    public let help: String
    public let kind: Kind
    public let labelNames: [String]
    public let buckets: [Double]

    init(name: String, help: String, kind: Kind, labelNames: [String], buckets: [Double] = []) throws(RegistryError) {
        guard Self.isValidMetricName(name) else {
            throw RegistryError(code: .invalidName, message: "metric name \(JSONText.quoted(name)) is not valid (use [a-zA-Z_:][a-zA-Z0-9_:]*)")
        }
        if kind == .counter, !name.hasSuffix("_total") {
            throw RegistryError(code: .invalidName, message: "counter \(JSONText.quoted(name)) must end in _total")
        }
        var seen: Set<String> = []
        for label in labelNames {
            guard Self.isValidLabelName(label), !label.hasPrefix("__"), seen.insert(label).inserted,
                !(kind == .histogram && label == "le")
            else {
                throw RegistryError(
                    code: .invalidLabelName,
                    message: "metric \(name): label name \(JSONText.quoted(label)) is not valid, reserved or repeated"
                )
            }
        }
        if kind == .histogram {
            guard !buckets.isEmpty, buckets.allSatisfy(\.isFinite), zip(buckets, buckets.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw RegistryError(code: .invalidBuckets, message: "histogram \(name): buckets \(buckets) must be finite, strictly increasing and not empty")
            }
        }
        self.name = name
        self.help = help
        self.kind = kind
        self.labelNames = labelNames
        self.buckets = buckets
    }

    public var description: String {
        var text = "\(kind) \(name)(\(labelNames.joined(separator: ", ")))"
        if kind == .histogram { text += " buckets \(buckets)" }
        return text + " help \(JSONText.quoted(help))"
    }

    static func isValidMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLetter(first) || first == UInt8(ascii: "_") || first == UInt8(ascii: ":") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") }
    }

    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
