import Foundation
import Testing

/// The personal values in the sample submissions (every JSON string and XML text or attribute
/// value of 5+ characters with a letter), and the check that a log contains none of them.
enum PersonalData {
    static let samples = ["gewerbeanmeldung.json", "hundesteuer-anmeldung.xml", "schwerbehindertenantrag.xml", "sperrmuell-termin.json"]

    static let values: [String] = {
        var values: Set<String> = []
        for name in samples {
            guard let data = try? RepositoryPaths.fixture(name) else { continue }
            if name.hasSuffix(".json") {
                collect(try? JSONSerialization.jsonObject(with: data), into: &values)
            } else {
                let text = String(decoding: data, as: UTF8.self)
                for pattern in [">([^<]+)<", "=\"([^\"]+)\""] {
                    let regex = try! NSRegularExpression(pattern: pattern)
                    for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                        if let range = Range(match.range(at: 1), in: text) { values.insert(String(text[range]).trimmingCharacters(in: .whitespacesAndNewlines)) }
                    }
                }
            }
        }
        return values.filter { $0.count >= 5 && $0.contains(where: \.isLetter) && !$0.hasPrefix("http") && !$0.hasPrefix("urn:") }.sorted()
    }()

    private static func collect(_ value: Any?, into values: inout Set<String>) {
        switch value {
        case let string as String: values.insert(string)
        case let array as [Any]: for element in array { collect(element, into: &values) }
        case let object as [String: Any]: for element in object.values { collect(element, into: &values) }
        default: break
        }
    }

    /// Records an issue for every personal value found in the log file.
    static func expectAbsent(fromLogAt path: String) throws {
        let log = try String(contentsOfFile: path, encoding: .utf8)
        #expect(values.count > 50, "the samples should yield many personal values")
        for value in values {
            #expect(!log.contains(value), "the server log contains a personal value of the samples")
        }
    }
}
