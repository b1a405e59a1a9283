/// The entries of a comma-separated command-line list ("0.485, 0.456,0.406").
enum CommaSeparated {
    /// Every entry as a `T`, or nil when the list is empty or an entry is not a `T`.
    static func values<T: LosslessStringConvertible>(_ text: String, as type: T.Type) -> [T]? {
        let values = text.split(separator: ",").map { T($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { return nil }
        return values.map { $0! }
    }
}
