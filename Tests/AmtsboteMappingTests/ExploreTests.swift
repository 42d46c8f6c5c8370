import Foundation
import Testing
@testable import AmtsboteMapping

@Suite struct ExploreTests {
    @Test(arguments: [
        "<a><b></a>",
        "<a>",
        "<a x='1' x='2'/>",
        "<a>&foo;</a>",
        "<p:a/>",
        "<a/><b/>",
        "<?xml version='1.0'?><!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>",
        "<a>\u{01}</a>",
        "<a xmlns:p='rel'><p:b p:c='1'/></a>",
        "<a>&amp;&lt;&#65;</a>",
    ])
    func xml(_ text: String) {
        do {
            let doc = try SourceDocument.parse(Data(text.utf8), contentType: "application/xml")
            print("OK", text, doc.nodes.map { "\($0.kind) \($0.name) {\($0.namespace)} '\($0.text)'" }, doc.attributes)
        } catch {
            print("ERR", text, error)
        }
    }
}
