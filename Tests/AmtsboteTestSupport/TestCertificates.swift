import Foundation

/// A private CA with a server certificate for 127.0.0.1 and a client certificate, made with the
/// `openssl` command in a directory of the caller's (fresh for each test, so nothing expires).
package struct TestCertificates: Sendable {
    package let caCertificate: String
    package let serverCertificate: String
    package let serverKey: String
    package let clientCertificate: String
    package let clientKey: String

    /// Creates the files in `directory` (PEM). Runs `openssl` five times: off the cooperative
    /// pool, so the other suites running in parallel do not stall meanwhile.
    package static func make(directory: URL) async throws -> TestCertificates {
        try await OffThePool.run { try TestCertificates(directory: directory) }
    }

    private init(directory: URL) throws {
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        caCertificate = path("ca.pem")
        serverCertificate = path("server.pem")
        serverKey = path("server.key")
        clientCertificate = path("client.pem")
        clientKey = path("client.key")
        let extensions = path("server.ext")
        try Data("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n".utf8).write(to: URL(fileURLWithPath: extensions))
        let clientExtensions = path("client.ext")
        try Data("extendedKeyUsage=clientAuth\n".utf8).write(to: URL(fileURLWithPath: clientExtensions))
        try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                          "-subj", "/CN=Amtsbote Test CA", "-keyout", path("ca.key"), "-out", caCertificate])
        for (name, ext) in [("server", extensions), ("client", clientExtensions)] {
            try Self.openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                              "-subj", "/CN=\(name)", "-keyout", path("\(name).key"), "-out", path("\(name).csr")])
            try Self.openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", caCertificate, "-CAkey", path("ca.key"),
                              "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", path("\(name).pem")])
        }
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.first ?? ""): \(String(decoding: message, as: UTF8.self))"])
        }
    }
}
