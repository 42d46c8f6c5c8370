/// Which names a step matches.
package struct PathNameTest: Sendable {
    /// Local name / key to match, nil for `*`.
    package var name: String? {
        didSet { nameBytes = name.map { Array($0.utf8) } }
    }
    /// Namespace URI to match ("" = no namespace), nil for `*` (any namespace).
    package var namespace: String?
    /// UTF-8 of `name`, compared byte for byte with the document's names.
    package private(set) var nameBytes: [UInt8]?

    package init(name: String?, namespace: String?) {
        self.name = name
        self.namespace = namespace
        self.nameBytes = name.map { Array($0.utf8) }
    }
}
