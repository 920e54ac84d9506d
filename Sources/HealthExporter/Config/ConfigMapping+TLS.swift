import NIOSSL
import Telemetry

extension ConfigMapping {
    /// The keys ``tlsClientSettings(clientIdentity:)`` reads.
    static func tlsKeys(clientIdentity: Bool) -> [String] {
        ["tlsVerify", "caFile", "serverName"] + (clientIdentity ? ["certFile", "keyFile"] : [])
    }

    /// Refuses TLS keys where the connection is not TLS; `hint` says how to make it TLS.
    func refuseTLSKeys(hint: String) throws(ConfigError) {
        if let node = Self.tlsKeys(clientIdentity: true).lazy.compactMap({ self[$0] }).first {
            throw node.error(.invalidValue, "applies to TLS connections only; \(hint)")
        }
    }

    /// TLS settings from `tlsVerify` (true), `caFile`, `serverName`, and with
    /// `clientIdentity` the pair `certFile` + `keyFile`. Files are read now:
    /// an unreadable or malformed one is an error naming the path.
    func tlsClientSettings(clientIdentity: Bool) throws(ConfigError) -> TLSClientSettings {
        var settings = TLSClientSettings()
        if let verify = self["tlsVerify"] { settings.verify = try verify.bool() }
        if let name = self["serverName"] { settings.serverName = try name.nonEmptyString() }
        if let caFile = self["caFile"] {
            let path = try caFile.nonEmptyString()
            settings.trustRoots = try caFile.pemCertificates(path)
            settings.caFile = path
        }
        guard clientIdentity else { return settings }
        switch (self["certFile"], self["keyFile"]) {
        case (nil, nil):
            break
        case (let certNode?, let keyNode?):
            let chain = try certNode.pemCertificates(try certNode.nonEmptyString())
            let keyPath = try keyNode.nonEmptyString()
            let key: NIOSSLPrivateKey
            do {
                key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            } catch {
                // Never the file's content: it is a private key.
                throw keyNode.error(.unreadable, "\(JSONText.quoted(keyPath)) is not a readable PEM private key")
            }
            settings.clientIdentity = TLSClientSettings.ClientIdentity(chain: chain, key: key)
            // A key that does not belong to the certificate fails here, at load, not at the first run.
            do {
                _ = try NIOSSLContext(configuration: settings.configuration)
            } catch {
                throw keyNode.error(.invalidValue, "\(JSONText.quoted(keyPath)) is not the private key of certFile, or the pair cannot be used")
            }
        case (let certNode?, nil):
            throw certNode.error(.missingKey, "needs keyFile beside it (the client certificate's private key)")
        case (nil, let keyNode?):
            throw keyNode.error(.missingKey, "needs certFile beside it (the client certificate)")
        }
        return settings
    }
}

extension ConfigNode {
    /// The PEM certificates in the file at `path`, at least one.
    func pemCertificates(_ path: String) throws(ConfigError) -> [NIOSSLCertificate] {
        guard (try? TextFile.read(path: path)) != nil else {
            throw error(.unreadable, "\(JSONText.quoted(path)) cannot be read")
        }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw self.error(.invalidValue, "\(JSONText.quoted(path)) holds no PEM certificate")
        }
        guard !certificates.isEmpty else {
            throw error(.invalidValue, "\(JSONText.quoted(path)) holds no PEM certificate")
        }
        return certificates
    }

    /// A duration that may be written in days (`14d`), for certificate windows.
    func durationWithDays(allowingZero: Bool) throws(ConfigError) -> Duration {
        let text = try string().trimmingSpaces()
        if text.hasSuffix("d"), let days = Double(text.dropLast()), days.isFinite {
            // A century is longer than any certificate lives; beyond it a Duration would overflow.
            guard days <= 36_500 else {
                throw error(.invalidValue, "\(JSONText.quoted(text)) is longer than 36500d")
            }
            guard days > 0 || (allowingZero && days == 0) else {
                throw error(.invalidValue, "\(JSONText.quoted(text)) must be a \(allowingZero ? "non-negative" : "positive") duration")
            }
            return .seconds(days * 86_400)
        }
        return try positiveDuration(allowingZero: allowingZero)
    }
}
