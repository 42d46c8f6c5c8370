import Foundation
import Hummingbird

#if canImport(Glibc)
import Glibc
#endif

extension PortalRoutes {
    /// `/healthz`: the process answers HTTP.
    func health() -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .contentLength: "3"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }

    /// `/readyz`: 200 only when a submission would be accepted right now.
    func readiness() -> Response {
        var checks: [String: JSONValue] = [:]
        var ready = true
        func check(_ name: String, _ ok: Bool, _ problem: String) {
            checks[name] = .string(ok ? "ok" : problem)
            ready = ready && ok
        }
        check("lifecycle", !self.lifecycle.isShuttingDown, "shutting down")
        check("spool", access(self.spool.directory.path + "/segments", W_OK) == 0, "spool directory not writable")
        check("mappings", self.mappings.current.mappingCount > 0, "no mappings loaded")
        check("disk", !self.disk.isBelowFloor, "free disk space below the floor")
        return JSONValue.object(["ready": .bool(ready), "checks": .object(checks)]).response(status: ready ? .ok : .serviceUnavailable)
    }

    /// `/metrics` in the Prometheus text format.
    func renderMetrics() -> Response {
        let bytes = self.metrics.render(stats: self.spool.stats(), freeDiskBytes: self.disk.availableBytes)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .contentLength: String(bytes.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    /// `/v1/openapi.yaml`.
    func openAPI() throws -> Response {
        guard let document = self.openAPIDocument else {
            throw Problem(.notFound, detail: "the OpenAPI document is not installed next to the executable")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/yaml", .contentLength: String(document.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: document))
        )
    }
}
