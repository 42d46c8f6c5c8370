/// A name in the output: a JSON key, an XML element or attribute (namespace resolved), or a CSV column.
final class OutputName: Sendable {
    /// As written in the mapping (JSON key, CSV header).
    let key: String
    /// XML: prefix to write ("" for none).
    let prefix: String
    /// XML: local name.
    let local: String
    /// XML: written as an attribute of the enclosing element (`@name`).
    let isAttribute: Bool
    /// XML: written as the character data of the enclosing element (`text()`).
    let isText: Bool
    /// The qualified name to write in XML, computed once.
    let qualified: String

    init(key: String, prefix: String = "", local: String = "", isAttribute: Bool = false, isText: Bool = false) {
        self.key = key
        self.prefix = prefix
        self.local = local
        self.isAttribute = isAttribute
        self.isText = isText
        self.qualified = prefix.isEmpty ? local : prefix + ":" + local
    }
}
