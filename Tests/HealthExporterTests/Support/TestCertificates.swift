import Foundation
import TestSupport

/// A throwaway certificate authority made with the real `openssl` command
/// (Debian's openssl): a CA, and leaf certificates it signs with exact
/// validity windows (`openssl ca -startdate -enddate`), so a test can make
/// a certificate that expires in 5 days or expired yesterday, and knows its
/// notAfter to the second.
final class TestCertificates: @unchecked Sendable {
    // Written once by init; the leaf calls of one test run one at a time.
    let directory: URL
    let caCertificate: String
    private let caKey: String
    private var serial = 1

    /// A leaf certificate and its key, as PEM files.
    struct Leaf {
        let certificate: String
        let key: String
        /// notAfter in whole seconds since the epoch.
        let notAfter: Int
    }

    init(name: String = "health-exporter test CA") throws {
        directory = URL(fileURLWithPath: "/tmp/he-certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        caCertificate = directory.appendingPathComponent("ca.pem").path
        caKey = directory.appendingPathComponent("ca.key").path
        try "".write(to: directory.appendingPathComponent("index.txt"), atomically: true, encoding: .utf8)
        try """
            [ca]
            default_ca = test
            [test]
            dir = \(directory.path)
            database = $dir/index.txt
            new_certs_dir = $dir
            serial = $dir/serial
            default_md = sha256
            policy = any
            copy_extensions = copy
            unique_subject = no
            [any]
            commonName = supplied
            """.write(to: directory.appendingPathComponent("ca.cnf"), atomically: true, encoding: .utf8)
        try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", caKey, "-out", caCertificate,
            "-days", "3650", "-subj", "/CN=\(name)",
        ])
    }

    /// A certificate for `127.0.0.1` and `localhost` valid from `from` to
    /// `until` seconds relative to now; `client` makes a client certificate.
    func leaf(from: TimeInterval = -3600, until: TimeInterval, commonName: String = "localhost", client: Bool = false) throws -> Leaf {
        serial += 1
        let stem = directory.appendingPathComponent("leaf\(serial)").path
        let extensions = "\(stem).ext"
        try """
            subjectAltName = DNS:localhost, IP:127.0.0.1
            extendedKeyUsage = \(client ? "clientAuth" : "serverAuth")
            """.write(toFile: extensions, atomically: true, encoding: .utf8)
        try Self.openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "\(stem).key", "-out", "\(stem).csr",
            "-subj", "/CN=\(commonName)",
        ])
        let now = Int(Date().timeIntervalSince1970)
        let notAfter = now + Int(until)
        try Self.openssl([
            "ca", "-batch", "-config", directory.appendingPathComponent("ca.cnf").path, "-cert", caCertificate, "-keyfile", caKey,
            "-in", "\(stem).csr", "-out", "\(stem).pem", "-notext", "-extfile", extensions,
            "-startdate", Self.generalizedTime(now + Int(from)), "-enddate", Self.generalizedTime(notAfter),
            "-create_serial",
        ])
        return Leaf(certificate: "\(stem).pem", key: "\(stem).key", notAfter: notAfter)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// `YYYYMMDDHHMMSSZ`, as `openssl ca` takes dates.
    static func generalizedTime(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d%02d%02d%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour),
            Int(parts.tm_min), Int(parts.tm_sec))
    }

    static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        guard process.waitForExit() == 0 else {
            throw RealServerError(description: "openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self))")
        }
    }
}
