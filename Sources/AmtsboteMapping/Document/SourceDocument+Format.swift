extension SourceDocument.Format {
    /// Recognises XML and JSON media types, ignoring parameters and case.
    init?(contentType: String) {
        // The usual spellings are recognised without any string processing (this runs per submission).
        let mediaType: String
        switch contentType {
        case "application/json", "application/xml", "text/xml":
            mediaType = contentType
        default:
            let bare = contentType.prefix { $0 != ";" }.drop { $0 == " " || $0 == "\t" }
            mediaType = String(bare.reversed().drop { $0 == " " || $0 == "\t" }.reversed()).lowercased()
        }
        if mediaType == "application/xml" || mediaType == "text/xml" || mediaType.hasSuffix("+xml") {
            self = .xml
        } else if mediaType == "application/json" || mediaType.hasSuffix("+json") {
            self = .json
        } else {
            return nil
        }
    }
}
