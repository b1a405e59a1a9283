extension SubmodularPick {
    /// SP-LIME over explanations given as lists of (feature name, weight), as `lime` builds its
    /// matrix from each explanation's `as_list()`: one column per name in order of first
    /// appearance, the weights of a name repeated within an explanation summed, zero where an
    /// explanation lacks the name. Words of different texts, or a table's quartile bins, are then
    /// the same feature wherever they are named alike.
    ///
    /// - Throws: as ``init(weights:instances:features:budget:)``.
    public init(named explanations: [[(name: String, weight: Double)]], budget: Int) throws {
        var columns = [String: Int]()
        for explanation in explanations {
            for (name, _) in explanation where columns[name] == nil { columns[name] = columns.count }
        }
        var weights = [Double](repeating: 0, count: explanations.count * columns.count)
        for (row, explanation) in explanations.enumerated() {
            for (name, weight) in explanation { weights[row * columns.count + columns[name]!] += weight }
        }
        try self.init(weights: weights, instances: explanations.count, features: columns.count, budget: budget)
    }
}
