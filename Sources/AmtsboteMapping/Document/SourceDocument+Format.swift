import Foundation

extension SourceDocument.Format {
    /// Recognises XML and JSON media types, ignoring parameters and case.
    init?(contentType: String) {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        if mediaType == "application/xml" || mediaType == "text/xml" || mediaType.hasSuffix("+xml") {
            self = .xml
        } else if mediaType == "application/json" || mediaType.hasSuffix("+json") {
            self = .json
        } else {
            return nil
        }
    }
}
