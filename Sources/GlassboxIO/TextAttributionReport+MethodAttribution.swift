extension TextAttributionReport {
    /// What one attribution method says about one text: an attribution per word, and what the
    /// method reports beside it.
    ///
    /// Positive attributions support the explained class, negative ones oppose it, whatever the
    /// method (gradients, integrated gradients, occlusion, LIME, LRP). The values go into a
    /// ``Document``, which checks that there is one per word and that all are finite.
    public struct MethodAttribution: Sendable {
        /// The method's name as the user asked for it (for instance `integrated-gradients`).
        public let name: String
        /// The method's settings as name and value, shown in this order (for instance
        /// `("steps", "50")`, `("baseline", "zeros")`).
        public let parameters: [(name: String, value: String)]
        /// The attribution of each word of the document, in the words' order.
        public let values: [Float]
        /// The intercept of a surrogate model (LIME), shown as the `<BIAS>` row of the
        /// top-feature table, if the method has one.
        public let bias: Float?
        /// How far the attributions' sum is from the change in the model's score
        /// (integrated gradients' convergence delta), if the method measures it.
        public let convergenceDelta: Float?

        /// The attributions `values` of the method `name`, with its settings and what it reports
        /// beside them.
        public init(
            name: String, parameters: [(name: String, value: String)] = [], values: [Float], bias: Float? = nil,
            convergenceDelta: Float? = nil
        ) {
            self.name = name
            self.parameters = parameters
            self.values = values
            self.bias = bias
            self.convergenceDelta = convergenceDelta
        }
    }
}
