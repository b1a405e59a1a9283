extension String {
    /// The string in single quotes for a one-line message: control characters (line feeds,
    /// carriage returns, tabs, …) and line and paragraph separators are written as Swift escapes.
    package var quotedForMessage: String {
        var quoted = "'"
        for scalar in unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator:
                quoted += scalar.escaped(asASCII: false)
            default:
                quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "'"
    }
}
