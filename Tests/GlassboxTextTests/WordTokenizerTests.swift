import Foundation
import GlassboxText
import Testing

@Suite("WordTokenizer")
struct WordTokenizerTests {
    /// The token texts of `text`.
    static func texts(_ text: String, _ tokenizer: WordTokenizer = WordTokenizer()) -> [String] {
        tokenizer.tokens(in: text).map(\.text)
    }

    @Test func urlsBecomeOnePlaceholderWithoutTrailingPunctuation() {
        #expect(Self.texts("see http://t.co/qgqe2JoYMD. Now") == ["see", "<url>", ".", "now"])
        #expect(Self.texts("(HTTPS://Example.com/a?b=c)") == ["(", "<url>", ")"])
        #expect(Self.texts("www.glassbox.org!!") == ["<url>", "!", "!"])
        #expect(Self.texts("read:http://x.co/y…") == ["read", ":", "<url>", "…"])
        #expect(Self.texts("http://") == ["http", ":", "/", "/"])
        #expect(Self.texts("foohttp://x") == ["foohttp", ":", "/", "/", "x"])
        let kinds = WordTokenizer().tokens(in: "go http://a.b").map(\.kind)
        #expect(kinds == [.word, .url])
    }

    @Test func usersBecomeOnePlaceholderButEmailAddressesDoNot() {
        #expect(Self.texts("RT @WSJ: wow @jack_d2") == ["rt", "<user>", ":", "wow", "<user>"])
        #expect(Self.texts("mail a@b.com") == ["mail", "a", "@", "b", ".", "com"])
        #expect(Self.texts("@ home @") == ["@", "home", "@"])
        #expect(WordTokenizer().tokens(in: "@Bob").map(\.kind) == [.user])
    }

    @Test func numbersBecomeOnePlaceholder() {
        #expect(
            Self.texts("1,000 people at 10:30 paid $3.50 on the 2nd")
                == ["<number>", "people", "at", "<number>", "paid", "$", "<number>", "on", "the", "2nd"])
        #expect(
            Self.texts("in 2015. mp3 3.5x -7%") == [
                "in", "<number>", ".", "mp3", "<number>", ".", "5x", "-", "<number>", "%",
            ])
        #expect(Self.texts("٣٤ ²") == ["<number>", "²"])
        #expect(WordTokenizer().tokens(in: "42").map(\.kind) == [.number])
    }

    @Test func apostrophesInsideWordsStay() {
        #expect(Self.texts("Don't say it's 'fine'") == ["don't", "say", "it's", "'", "fine", "'"])
        #expect(Self.texts("rock’n’roll cars' 'n") == ["rock'n'roll", "cars", "'", "'", "n"])
    }

    @Test func punctuationIsSplitOffCharacterByCharacter() {
        #expect(
            Self.texts("Wow!!! #sxsw (really?) self-driving")
                == ["wow", "!", "!", "!", "#", "sxsw", "(", "really", "?", ")", "self", "-", "driving"])
        #expect(WordTokenizer().tokens(in: "#a").map(\.kind) == [.symbol, .word])
    }

    @Test func emoticonsAndEmojiAreSingleCharacterTokens() {
        #expect(Self.texts("so good :) <3") == ["so", "good", ":", ")", "<", "<number>"])
        #expect(Self.texts("nice👍🏽🇩🇪 👨‍👩‍👧!") == ["nice", "👍🏽", "🇩🇪", "👨‍👩‍👧", "!"])
    }

    @Test func unicodeWordsAreLowercasedWholeAndControlsSeparate() {
        #expect(Self.texts("Café naïve ÉCOLE Straße") == ["café", "naïve", "école", "straße"])
        #expect(Self.texts("Cafe\u{301} 日本語テキスト") == ["cafe\u{301}", "日本語テキスト"])
        #expect(Self.texts("a\u{8A}\u{9D}b\u{200B}c\r\nd\u{85}e\u{A0}f") == ["a", "b", "c", "d", "e", "f"])
        #expect(Self.texts("") == [])
        #expect(Self.texts(" \t\r\n\u{8A} ") == [])
    }

    @Test func rangesMapBackToTheUsersOwnWords() {
        let text = "  Don’t tell @Bob about http://x.co/Y, it cost 3,000 €!! 👍🏽"
        let tokens = WordTokenizer().tokens(in: text)
        #expect(
            tokens.map { String(text[$0.range]) }
                == ["Don’t", "tell", "@Bob", "about", "http://x.co/Y", ",", "it", "cost", "3,000", "€", "!", "!", "👍🏽"])
        #expect(
            tokens.map(\.text)
                == ["don't", "tell", "<user>", "about", "<url>", ",", "it", "cost", "<number>", "€", "!", "!", "👍🏽"])
        for (token, next) in zip(tokens, tokens.dropFirst()) {
            #expect(token.range.upperBound <= next.range.lowerBound)
        }
    }

    @Test func switchedOffRulesLeaveTheTextToTheOtherRules() {
        let plain = WordTokenizer(
            lowercase: false, normalizeURLs: false, normalizeUsers: false, normalizeNumbers: false)
        #expect(
            Self.texts("Hi @Bob, 1,000 at www.x.org", plain)
                == ["Hi", "@", "Bob", ",", "1", ",", "000", "at", "www", ".", "x", ".", "org"])
        let kinds = plain.tokens(in: "@Bob 42").map(\.kind)
        #expect(kinds == [.symbol, .word, .word])
    }

    @Test func isDeterministicAndCodable() throws {
        let tokenizer = WordTokenizer(lowercase: false, normalizeNumbers: false)
        let text = "Same text, same tokens: @a http://b 12"
        #expect(tokenizer.tokens(in: text) == tokenizer.tokens(in: text))
        let decoded = try JSONDecoder().decode(WordTokenizer.self, from: JSONEncoder().encode(tokenizer))
        #expect(decoded == tokenizer)
    }
}
