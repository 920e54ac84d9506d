import Foundation
import Telemetry

extension CheckKind {
    /// An HTTP(S) GET with an expected status range and optional body text:
    /// `kind: http`, options `url`, `expectStatus`, `bodyContains`, `tlsVerify`.
    public struct HTTPOptions: Sendable, Equatable {
        /// `http://` or `https://`; userinfo is refused at load (it would leak into logs).
        public var url: String
        public var expectStatus: ClosedRange<Int>
        public var bodyContains: String?
        /// TLS certificate verification; on unless explicitly turned off.
        public var tlsVerify: Bool

        public init(url: String, expectStatus: ClosedRange<Int> = 200...399, bodyContains: String? = nil, tlsVerify: Bool = true) {
            self.url = url
            self.expectStatus = expectStatus
            self.bodyContains = bodyContains
            self.tlsVerify = tlsVerify
        }
    }

    /// An HTTP check.
    public static func http(_ options: HTTPOptions) -> CheckKind {
        CheckKind(options)
    }
}

extension CheckKind.HTTPOptions: ConfigurableCheckKind {
    static let name = "http"
    static let optionKeys = ["url", "expectStatus", "bodyContains", "tlsVerify"]
    static let isNetwork = true

    static func parse(_ keys: ConfigMapping) throws(ConfigError) -> Self {
        let urlNode = try keys.required("url")
        let text = try urlNode.nonEmptyString()
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.host?.isEmpty == false
        else {
            throw urlNode.error(.invalidValue, "\(JSONText.quoted(text)) is not an http:// or https:// URL")
        }
        guard components.user == nil, components.password == nil else {
            throw urlNode.error(.invalidValue, "must not carry user:password (it would show in logs); send credentials another way")
        }
        var options = Self(url: text)
        if let status = keys["expectStatus"] {
            let raw = try status.string()
            let parts = raw.split(separator: "-").map { Int($0.trimmingSpaces()) }
            guard (1...2).contains(parts.count), let low = parts.first ?? nil, let high = parts.last ?? nil,
                (100...599).contains(low), (100...599).contains(high), low <= high
            else {
                throw status.error(.invalidValue, "\(JSONText.quoted(raw)) is not a status or range (e.g. 200, 200-399)")
            }
            options.expectStatus = low...high
        }
        if let body = keys["bodyContains"] { options.bodyContains = try body.nonEmptyString() }
        if let verify = keys["tlsVerify"] { options.tlsVerify = try verify.bool() }
        return options
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        HTTPCheck(options: self, timeout: config.timeout, client: clients.httpClient())
    }
}
