import Foundation
import Testing

@testable import AmtsboteServer

@Suite("multipart/form-data parser")
struct MultipartParserTests {
    private let parser = try! MultipartParser(boundary: "XyZ-boundary", maxParts: 8, maxHeaderBytes: 1024)

    private func body(_ text: String) -> Data { Data(text.utf8) }

    @Test("parts keep their bytes exactly, including CR, LF and binary data")
    func byteExactParts() throws {
        var binary = Data((0...255).map { UInt8($0) })
        binary.append(contentsOf: Array("\r\n--XyZ-boundar".utf8))  // almost a delimiter
        var body = Data("preamble is ignored\r\n--XyZ-boundary\r\n".utf8)
        body.append(Data("Content-Disposition: form-data; name=\"submission\"\r\nContent-Type: application/json\r\n\r\n".utf8))
        body.append(Data("{\"a\":1}\r\n".utf8))
        body.append(Data("\r\n--XyZ-boundary\r\n".utf8))
        body.append(Data("content-disposition: form-data; name=\"scan\"; filename=\"Ausweis ä.pdf\"\r\ncontent-type: application/pdf\r\n\r\n".utf8))
        body.append(binary)
        body.append(Data("\r\n--XyZ-boundary--\r\nepilogue".utf8))
        let parts = try self.parser.parse(body)
        #expect(parts.count == 2)
        #expect(parts[0] == MultipartPart(name: "submission", filename: nil, contentType: "application/json", data: Data("{\"a\":1}\r\n".utf8)))
        #expect(parts[1].name == "scan")
        #expect(parts[1].filename == "Ausweis ä.pdf")
        #expect(parts[1].contentType == "application/pdf")
        #expect(parts[1].data == binary)
    }

    @Test("RFC 8187 filename* wins over filename; empty parts are kept")
    func extendedFilename() throws {
        let body = self.body(
            "--XyZ-boundary\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x.pdf\"; filename*=UTF-8''na%C3%AFve.pdf\r\n\r\n"
                + "\r\n--XyZ-boundary--"
        )
        let parts = try self.parser.parse(body)
        #expect(parts == [MultipartPart(name: "a", filename: "naïve.pdf", contentType: nil, data: Data())])
    }

    @Test(
        "broken bodies are refused with a reason",
        arguments: [
            ("no boundary at all", MultipartError.Code.missingDelimiter),
            ("--XyZ-boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", .missingDelimiter),
            ("--XyZ-boundary\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ-boundary--", .missingPartName),
            ("--XyZ-boundary\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ-boundary--", .missingPartName),
            ("--XyZ-boundary\r\nbroken header line\r\n\r\nx\r\n--XyZ-boundary--", .invalidPartHeaders),
            ("--XyZ-boundary\r\nContent-Disposition: form-data; name=\"a\"" + String(repeating: "x", count: 2000), .invalidPartHeaders),
            ("--XyZ-boundaryjunk\r\n", .missingDelimiter),
        ]
    )
    func brokenBodies(text: String, code: MultipartError.Code) {
        #expect(throws: MultipartError.self) { try self.parser.parse(self.body(text)) }
        do {
            _ = try self.parser.parse(self.body(text))
        } catch let error as MultipartError {
            #expect(error.code == code, "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("the part count is limited")
    func tooManyParts() throws {
        let part = "--XyZ-boundary\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nx\r\n"
        let body = self.body(String(repeating: part, count: 9) + "--XyZ-boundary--")
        let error = try #require(throws: MultipartError.self) { try self.parser.parse(body) }
        #expect(error.code == .tooManyParts)
    }

    @Test("boundaries must be 1 to 70 characters")
    func boundaryLength() {
        #expect(throws: MultipartError.self) { try MultipartParser(boundary: "", maxParts: 1, maxHeaderBytes: 100) }
        #expect(throws: MultipartError.self) { try MultipartParser(boundary: String(repeating: "b", count: 71), maxParts: 1, maxHeaderBytes: 100) }
    }

    @Test("header values with quoted parameters")
    func headerValues() throws {
        let value = try #require(HeaderValue(parsing: "Multipart/Form-Data; boundary=\"a;b\\\"c\"; charset=utf-8"))
        #expect(value.value == "multipart/form-data")
        #expect(value.parameters == ["boundary": "a;b\"c", "charset": "utf-8"])
        #expect(HeaderValue(parsing: "form-data; name=\"unterminated") == nil)
        #expect(HeaderValue(parsing: "  ") == nil)
    }
}
