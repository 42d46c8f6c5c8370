/// All loaded code lists, by URI and version.
struct CodeListRegistry: Sendable {
    var lists: [String: [String: CodeList]] = [:]

    func versions(of uri: String) -> [String: CodeList]? {
        lists[uri]
    }
}
