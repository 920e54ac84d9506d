import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a check speaks TLS to a dependency: whose certificates it trusts,
/// whether it verifies them, the name it expects, and the client certificate
/// it presents (mTLS). Files are read when the configuration loads, so a
/// missing or malformed file is a load error naming the path, and a reload
/// reads them again.
public struct TLSClientSettings: Sendable, Equatable {
    /// Verify the peer's chain and name; on unless explicitly turned off.
    public var verify: Bool
    /// The name sent as SNI and checked against the certificate; nil: the
    /// host the check connects to (an IP address is checked against the
    /// certificate's IP addresses and sends no SNI).
    public var serverName: String?
    /// Trusted roots from `caFile`; nil: the system's roots.
    public var trustRoots: [NIOSSLCertificate]?
    /// Where `trustRoots` came from, for messages.
    public var caFile: String?
    /// The client certificate chain and key, for servers that ask for one.
    public var clientIdentity: ClientIdentity?

    /// A certificate chain and its private key.
    public struct ClientIdentity: Sendable, Equatable {
        public var chain: [NIOSSLCertificate]
        public var key: NIOSSLPrivateKey

        public init(chain: [NIOSSLCertificate], key: NIOSSLPrivateKey) {
            self.chain = chain
            self.key = key
        }
    }

    public init(verify: Bool = true, serverName: String? = nil, trustRoots: [NIOSSLCertificate]? = nil, caFile: String? = nil, clientIdentity: ClientIdentity? = nil) {
        self.verify = verify
        self.serverName = serverName
        self.trustRoots = trustRoots
        self.caFile = caFile
        self.clientIdentity = clientIdentity
    }

    /// The NIOSSL client configuration these settings describe.
    public var configuration: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = verify ? .fullVerification : .none
        if let trustRoots { tls.trustRoots = .certificates(trustRoots) }
        if let clientIdentity {
            tls.certificateChain = clientIdentity.chain.map { .certificate($0) }
            tls.privateKey = .privateKey(clientIdentity.key)
        }
        return tls
    }

    /// The SNI name to send when connecting to `host`: none for an IP address.
    func sniName(connectingTo host: String) -> String? {
        let name = serverName ?? host
        return Self.isIPAddress(name) ? nil : name
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
