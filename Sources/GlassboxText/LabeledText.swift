/// A text and, when it has one, the index of its class.
public struct LabeledText: Hashable, Sendable {
    /// The text, as the file holds it.
    public var text: String
    /// The index of the text's class in the class list of the table or data set it comes from, or
    /// nil for unlabelled text.
    public var label: Int?

    /// Creates a text with an optional class index.
    ///
    /// - Parameters:
    ///   - text: The text.
    ///   - label: The index of its class, or nil for unlabelled text.
    public init(text: String, label: Int?) {
        self.text = text
        self.label = label
    }
}
