/// Turns swift-metrics labels and dimension names into Prometheus names.
///
/// Metric names keep `[a-zA-Z0-9_:]` and label names `[a-zA-Z0-9_]`; every
/// other character becomes `_`, and a leading digit gets a `_` in front, so
/// `http.server.requests` is `http_server_requests` and `2xx` is `_2xx`.
enum PrometheusName {
    static func metric(_ label: String) -> String {
        sanitize(label, allowingColon: true)
    }

    static func label(_ name: String) -> String {
        sanitize(name, allowingColon: false)
    }

    private static func sanitize(_ text: String, allowingColon: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 1)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: ":") where allowingColon:
                out.append(":")
            default:
                out.append("_")
            }
        }
        if out.isEmpty || out.utf8.first.map({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) == true {
            out = "_" + out
        }
        return out
    }
}
