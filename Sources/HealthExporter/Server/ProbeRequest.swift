import NIOHTTP1
import Telemetry

/// The parts of an HTTP request the router looks at, parsed once.
public struct ProbeRequest: Sendable, Equatable {
    public var method: HTTPMethod
    /// The path without query, e.g. `/readyz/database`.
    public var path: String {
        didSet { route = Route(path: Substring(path)) }
    }
    /// What the path asks for, parsed once.
    private(set) var route: Route
    /// `?verbose` (present, and not `0`/`false`).
    public var verbose: Bool
    /// Every `?exclude=NAME`.
    public var excluded: Set<String>
    /// The client prefers `text/plain` (Kubernetes-style text bodies).
    public var wantsText: Bool
    /// The peer connects from this machine (loopback address).
    public var peerIsLoopback: Bool
    /// The listener that accepted the connection is bound to loopback only
    /// (not a wildcard or an external address).
    public var listenerIsLoopback: Bool
    /// The peer's address without port, for logs (refused admin requests).
    public var peer: String?
    /// The token of an `Authorization: Bearer …` header.
    public var bearerToken: Substring?
    /// The `/metrics` format the `Accept` header asks for.
    public var metricsFormat: ExpositionFormat

    public init(
        method: HTTPMethod,
        path: String,
        verbose: Bool = false,
        excluded: Set<String> = [],
        wantsText: Bool = false,
        peerIsLoopback: Bool = true,
        listenerIsLoopback: Bool = true,
        peer: String? = nil,
        bearerToken: Substring? = nil,
        metricsFormat: ExpositionFormat = .prometheus
    ) {
        self.method = method
        self.path = path
        self.route = Route(path: Substring(path))
        self.verbose = verbose
        self.excluded = excluded
        self.wantsText = wantsText
        self.peerIsLoopback = peerIsLoopback
        self.listenerIsLoopback = listenerIsLoopback
        self.peer = peer
        self.bearerToken = bearerToken
        self.metricsFormat = metricsFormat
    }

    /// Parses a request head received on a connection from `peer`.
    public init(head: HTTPRequestHead, connection peer: ConnectionPeer) {
        let uri = head.uri
        let path: Substring
        var verbose = false
        var excluded: Set<String> = []
        if let mark = uri.firstIndex(of: "?") {
            path = uri[..<mark]
            for pair in uri[uri.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: true) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = Self.percentDecoded(parts[0])
                let value = parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
                switch key {
                case "verbose": verbose = value != "0" && value != "false"
                case "exclude": if !value.isEmpty { excluded.insert(value) }
                default: break
                }
            }
        } else {
            path = Substring(uri)
        }
        let authorization = head.headers.first(name: "authorization")
        var bearer: Substring?
        if let authorization, authorization.lowercased().hasPrefix("bearer ") {
            bearer = Substring(authorization.dropFirst("bearer ".count).drop(while: { $0 == " " }))
        }
        self.init(
            method: head.method,
            path: String(path),
            verbose: verbose,
            excluded: excluded,
            wantsText: Self.prefersText(head.headers),
            peerIsLoopback: peer.isLoopback,
            listenerIsLoopback: peer.listenerIsLoopback,
            peer: peer.address,
            bearerToken: bearer,
            metricsFormat: ExpositionFormat.negotiate(accept: head.headers.first(name: "accept"))
        )
    }

    /// Whether `Accept` asks for `text/plain` rather than JSON.
    static func prefersText(_ headers: HTTPHeaders) -> Bool {
        guard headers.contains(name: "accept") else { return false }
        let accept = headers[canonicalForm: "accept"].joined(separator: ",").lowercased()
        return accept.contains("text/plain") && !accept.contains("json")
    }

    /// `%XX` and `+` decoding of one query component; malformed escapes stay as written.
    static func percentDecoded(_ text: Substring) -> String {
        guard text.contains("%") || text.contains("+") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
