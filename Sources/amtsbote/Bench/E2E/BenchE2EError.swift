/// A `bench e2e` run that could not be completed (the message says which step).
struct BenchE2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
