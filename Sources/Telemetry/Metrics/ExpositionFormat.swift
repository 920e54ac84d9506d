/// The two text formats `/metrics` speaks.
public enum ExpositionFormat: Sendable, Hashable {
    /// Prometheus text format 0.0.4.
    case prometheus
    /// OpenMetrics 1.0 (`# EOF`, `_created`, counter families named without `_total`).
    case openMetrics

    /// The `Content-Type` of a response in this format.
    public var contentType: String {
        switch self {
        case .prometheus: return "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: return "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// The format an `Accept` header asks for: OpenMetrics only when named, as
    /// Prometheus itself negotiates it; anything else gets 0.0.4.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept, accept.contains("application/openmetrics-text") else { return .prometheus }
        // "application/openmetrics-text;q=0" would be a refusal.
        for part in accept.split(separator: ",") where part.contains("application/openmetrics-text") {
            let refused = part.split(separator: ";").contains { $0.trimmingCharacters(in: " ") == "q=0" }
            if !refused { return .openMetrics }
        }
        return .prometheus
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> Substring {
        var text = self
        while text.first == set { text = text.dropFirst() }
        while text.last == set { text = text.dropLast() }
        return text
    }
}
