extension TextAttributionReport {
    /// `text` with the characters HTML gives a meaning to (`&`, `<`, `>`, `"`, `'`) written as
    /// character references, so it can stand in element content and in quoted attribute values.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
