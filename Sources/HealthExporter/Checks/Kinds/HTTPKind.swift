import Foundation
import Telemetry

extension CheckKind {
    /// An HTTP(S) request with an expected status range and optional body
    /// expectations: `kind: http`, options `url`, `method` (GET), `headers`,
    /// `headerFiles`, `body`, `expectStatus` (200-399), `bodyContains`,
    /// `bodyJSONPath` + `bodyEquals`, `tlsVerify` (true), `caFile`,
    /// `certFile` + `keyFile` (mTLS).
    public struct HTTPOptions: Sendable, Equatable {
        /// The request methods a health request may use.
        public enum Method: String, Sendable, CaseIterable {
            case GET, HEAD, POST
        }

        /// `http://` or `https://`; userinfo is refused at load (it would leak into logs).
        public var url: String
        public var method: Method
        /// Header values are secrets: they show in no answer, log or metric.
        public var headers: [HTTPHeader]
        /// A request body (sent with any method, usually POST).
        public var body: String?
        public var expectStatus: ClosedRange<Int>
        public var bodyContains: String?
        /// `bodyJSONPath` and `bodyEquals`: the JSON value at the path must equal the text.
        public var bodyJSON: BodyJSONExpectation?
        public var tls: TLSClientSettings

        /// One request header; the value is a ``Secret`` wherever it came from.
        public struct HTTPHeader: Sendable, Equatable {
            public var name: String
            public var value: Secret

            public init(name: String, value: Secret) {
                self.name = name
                self.value = value
            }
        }

        public init(
            url: String, method: Method = .GET, headers: [HTTPHeader] = [], body: String? = nil, expectStatus: ClosedRange<Int> = 200...399,
            bodyContains: String? = nil, bodyJSON: BodyJSONExpectation? = nil, tls: TLSClientSettings = TLSClientSettings()
        ) {
            self.url = url
            self.method = method
            self.headers = headers
            self.body = body
            self.expectStatus = expectStatus
            self.bodyContains = bodyContains
            self.bodyJSON = bodyJSON
            self.tls = tls
        }

        /// TLS certificate verification; on unless explicitly turned off.
        public var tlsVerify: Bool {
            get { tls.verify }
            set { tls.verify = newValue }
        }
    }

    /// An HTTP check.
    public static func http(_ options: HTTPOptions) -> CheckKind {
        CheckKind(options)
    }
}

extension CheckKind.HTTPOptions: ConfigurableCheckKind {
    static let name = "http"
    static let optionKeys =
        ["url", "method", "headers", "headerFiles", "body", "expectStatus", "bodyContains", "bodyJSONPath", "bodyEquals"]
        + ConfigMapping.tlsKeys(clientIdentity: true)
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
        if let method = keys["method"] { options.method = try method.oneOf(Method.self) }
        options.headers = try headers(keys)
        if let body = keys["body"] { options.body = try body.string() }
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
        switch (keys["bodyJSONPath"], keys["bodyEquals"]) {
        case (nil, nil): break
        case (let pathNode?, let equalsNode?):
            let path = try pathNode.nonEmptyString()
            guard let expectation = BodyJSONExpectation(path: path, equals: try equalsNode.string()) else {
                throw pathNode.error(.invalidValue, "\(JSONText.quoted(path)) is not a JSON path like .status or .checks[0].state")
            }
            options.bodyJSON = expectation
        case (let pathNode?, nil):
            throw pathNode.error(.missingKey, "needs bodyEquals beside it (the value expected at the path)")
        case (nil, let equalsNode?):
            throw equalsNode.error(.missingKey, "needs bodyJSONPath beside it (where in the JSON body to look)")
        }
        if options.method == .HEAD, options.bodyContains != nil || options.bodyJSON != nil, let node = keys["method"] {
            throw node.error(.invalidValue, "HEAD gets no body, so bodyContains and bodyJSONPath cannot be checked; use GET")
        }
        options.tls = try keys.tlsClientSettings(clientIdentity: true)
        if scheme == "http", let node = keys["caFile"] ?? keys["certFile"] ?? keys["serverName"] {
            throw node.error(.invalidValue, "applies to https:// URLs only; \(JSONText.quoted(HTTPCheck.displayURL(text))) is plain http")
        }
        if let node = keys["serverName"], options.tls.serverName != nil {
            // AsyncHTTPClient sends the URL's host as SNI and checks the certificate against it.
            throw node.error(.invalidValue, "is not supported for http checks: the URL's host is the name checked; use the tls kind to check another name")
        }
        return options
    }

    /// `headers` (name → literal value) and `headerFiles` (name → file holding
    /// the value); errors never show a value.
    private static func headers(_ keys: ConfigMapping) throws(ConfigError) -> [HTTPHeader] {
        var headers: [HTTPHeader] = []
        for (key, fromFile) in [("headers", false), ("headerFiles", true)] {
            guard let node = keys[key] else { continue }
            for (name, valueNode) in try node.stringMapping() {
                guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else {
                    throw valueNode.error(.invalidValue, "\(JSONText.quoted(name)) is not a header name")
                }
                guard !["host", "content-length", "transfer-encoding", "connection"].contains(name.lowercased()) else {
                    throw valueNode.error(.invalidValue, "\(JSONText.quoted(name)) is set by the client itself and cannot be configured")
                }
                guard !headers.contains(where: { $0.name.lowercased() == name.lowercased() }) else {
                    throw valueNode.error(.duplicateName, "\(JSONText.quoted(name)) is set twice (headers and headerFiles)")
                }
                let value = fromFile ? try valueNode.secretFromFile().secret : Secret(try valueNode.string())
                guard !value.reveal().utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                    throw valueNode.error(.invalidValue, "holds a line break or NUL, which would split the request (the value is not shown)")
                }
                headers.append(HTTPHeader(name: name, value: value))
            }
        }
        return headers
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    func makeCheck(_ config: CheckConfig, clients: SharedClients) -> (any HealthCheck)? {
        do {
            return try HTTPCheck(options: self, timeout: config.timeout, client: clients.httpClient())
        } catch {
            return FailingCheck(CheckFailure(.tls, "\(HTTPCheck.displayURL(url)): the TLS settings cannot be used: \(type(of: error))"))
        }
    }
}
