#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `bodyJSONPath: .status` with `bodyEquals: UP`: the value at a path of
/// keys and indices (`.checks[0].state`) in a JSON body, compared as text
/// (`true`, `3`, `UP`; `null` for null).
public struct BodyJSONExpectation: Sendable, Equatable {
    /// One step of the path.
    public enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    public let path: String
    public let steps: [Step]
    public let equals: String

    /// Nil when `path` is not `.key`, `.key.key`, `.key[0]`, `[0]`, or `.` (the whole body).
    public init?(path: String, equals: String) {
        guard let steps = Self.parse(path) else { return nil }
        self.path = path
        self.steps = steps
        self.equals = equals
    }

    /// The value found at the path as text, or nil when the body is not JSON
    /// or the path leads nowhere (or to an object or array).
    public func value(in body: [UInt8]) -> String? {
        guard var current = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) else { return nil }
        for step in steps {
            switch (step, current) {
            case (.key(let key), .object(let object)):
                guard let next = object[key] else { return nil }
                current = next
            case (.index(let index), .array(let array)):
                guard array.indices.contains(index) else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current.text
    }

    /// A JSON value, decoded by type so that `true` and `1` stay apart.
    private enum JSONValue: Decodable {
        case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let bool = try? container.decode(Bool.self) {
                self = .bool(bool)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let string = try? container.decode(String.self) {
                self = .string(string)
            } else if let array = try? container.decode([JSONValue].self) {
                self = .array(array)
            } else {
                self = .object(try container.decode([String: JSONValue].self))
            }
        }

        var text: String? {
            switch self {
            case .null: return "null"
            case .bool(let bool): return bool ? "true" : "false"
            case .number(let number):
                if number == number.rounded(), abs(number) < 9_007_199_254_740_992 { return String(Int64(number)) }
                return String(number)
            case .string(let string): return string
            case .array, .object: return nil
            }
        }
    }

    private static func parse(_ path: String) -> [Step]? {
        var steps: [Step] = []
        var rest = Substring(path.trimmingSpaces())
        if rest == "." { return [] }
        guard rest.first == "." || rest.first == "[" else { return nil }
        while let first = rest.first {
            if first == "." {
                rest = rest.dropFirst()
                let key = rest.prefix { $0 != "." && $0 != "[" }
                guard !key.isEmpty else { return nil }
                steps.append(.key(String(key)))
                rest = rest.dropFirst(key.count)
            } else if first == "[" {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0 else {
                    return nil
                }
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            } else {
                return nil
            }
        }
        return steps
    }
}
