import Foundation
import GlassboxCore
import GlassboxText
import Testing

@Suite("LabeledTextTable")
struct LabeledTextTableTests {
    static func table(
        _ text: String, _ format: LabeledTextTable.Format = .csv, labelColumn: String? = "label",
        classes: [String]? = nil
    ) throws -> LabeledTextTable {
        try LabeledTextTable(
            data: Data(text.utf8), path: "texts.\(format.rawValue)", format: format, labelColumn: labelColumn,
            classes: classes)
    }

    static func reason(
        _ bytes: [UInt8], _ format: LabeledTextTable.Format = .csv, textColumn: String = "text",
        classes: [String]? = nil
    ) -> String? {
        TestSupport.invalidFileReason {
            _ = try LabeledTextTable(
                data: Data(bytes), path: "texts.csv", format: format, textColumn: textColumn, classes: classes)
        }
    }

    static func reason(_ text: String, _ format: LabeledTextTable.Format = .csv, classes: [String]? = nil) -> String? {
        reason(Array(text.utf8), format, classes: classes)
    }

    @Test func readsRFC4180QuotingAndLineEnds() throws {
        let csv =
            "id,text,label\r\n1,plain,pos\r\n2,\"with, comma\",neg\r\n3,\"say \"\"hi\"\"\",pos\r\n"
            + "4,\"two\r\nlines\nand\rthree\",neg\n\n5,last,\"neg\"\r6,\"\"\"quoted\"\"\",pos"
        let table = try Self.table(csv)
        #expect(table.classes == ["neg", "pos"])
        #expect(
            table.rows.map(\.text) == [
                "plain", "with, comma", "say \"hi\"", "two\r\nlines\nand\rthree", "last", "\"quoted\"",
            ])
        #expect(table.rows.map(\.label) == [1, 0, 1, 0, 0, 1])
        #expect(Self.reason(csv + "\r\n7,x") == "line 12: 2 fields, but the header has 3")
        #expect(try Self.table("text,label,note\na,x,").rows == [LabeledText(text: "a", label: 0)])
    }

    @Test func readsTSVAndUnlabelledText() throws {
        let table = try Self.table("text\tlabel\tnote\nfirst one\tb\tx\n\"quoted\ttab\"\ta\t\n", .tsv)
        #expect(table.rows == [LabeledText(text: "first one", label: 1), LabeledText(text: "quoted\ttab", label: 0)])
        let unlabelled = try Self.table("text\nonly text\nmore", labelColumn: nil)
        #expect(unlabelled.classes.isEmpty)
        #expect(unlabelled.rows == [LabeledText(text: "only text", label: nil), LabeledText(text: "more", label: nil)])
    }

    @Test func readsJSONLinesWithStringAndNumberLabels() throws {
        let jsonl = """
            {"text": "good \\"stuff\\"", "label": 1, "extra": [1, {"a": null}]}

            {"label": "1", "text": "also good"}\r
            {"text": "bad", "label": 0}
            {"text": "ten", "label": 10}
            """
        let table = try Self.table(jsonl, .jsonl)
        #expect(table.classes == ["0", "1", "10"])
        #expect(table.rows.map(\.text) == ["good \"stuff\"", "also good", "bad", "ten"])
        #expect(table.rows.map(\.label) == [1, 1, 0, 2])
        let fractional = try Self.table(#"{"text": "x", "label": 0.5}"#, .jsonl)
        #expect(fractional.classes == ["0.5"])
    }

    @Test func classesAreSortedOrGiven() throws {
        let csv = "text,label\na,9\nb,10\nc,9\n"
        #expect(try Self.table(csv).classes == ["9", "10"])
        #expect(try Self.table("text,label\na,zeta\nb,Alpha\nc,beta\n").classes == ["Alpha", "beta", "zeta"])
        let given = try Self.table(csv, classes: ["10", "9", "11"])
        #expect(given.classes == ["10", "9", "11"] && given.rows.map(\.label) == [1, 0, 1])
        #expect(
            Self.reason(csv, classes: ["9", "11"]) == "line 3: label '10' is not one of the classes '9', '11'")
        #expect(
            Self.reason("text,label\na,\"two\nlines\"\n", classes: ["x"])
                == "line 2: label 'two\\nlines' is not one of the classes 'x'")
        #expect(
            TestSupport.invalidArgumentMessage { _ = try Self.table(csv, classes: []) } == "the class list is empty")
        #expect(
            TestSupport.invalidArgumentMessage { _ = try Self.table(csv, classes: ["9", "9"]) }
                == "the class list names a class twice: [\"9\", \"9\"]")
    }

    @Test func readsFilesChoosingTheFormatByExtensionAndLatin1OnRequest() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appending(path: "texts.CSV")
        try Data([0xEF, 0xBB, 0xBF] + Array("text,label\ncaf\u{E9},x\n".utf8)).write(to: csv)
        #expect(try LabeledTextTable(contentsOf: csv).rows == [LabeledText(text: "café", label: 0)])
        let latin1 = folder.appending(path: "texts.tsv")
        try Data(Array("text\tlabel\ncaf".utf8) + [0xE9, 0x09, 0x78, 0x0A]).write(to: latin1)
        #expect(try LabeledTextTable(contentsOf: latin1, encoding: .latin1).rows.map(\.text) == ["café"])
        #expect(
            TestSupport.invalidFileReason { _ = try LabeledTextTable(contentsOf: latin1) }
                == "line 2: bytes that are not valid UTF-8; read the file as latin-1 if that is its encoding")
        let jsonl = folder.appending(path: "texts.ndjson")
        try Data(#"{"body": "hi", "label": "x"}"#.utf8).write(to: jsonl)
        #expect(try LabeledTextTable(contentsOf: jsonl, textColumn: "body").rows.map(\.text) == ["hi"])
        let text = folder.appending(path: "texts.txt")
        try Data("text\nhi\n".utf8).write(to: text)
        #expect(
            TestSupport.invalidFileReason { _ = try LabeledTextTable(contentsOf: text) }
                == "cannot tell the table format from the file name; name it (csv, tsv, jsonl)")
        #expect(try LabeledTextTable(contentsOf: text, format: .csv, labelColumn: nil).rows.count == 1)
        #expect(
            TestSupport.invalidFileReason { _ = try LabeledTextTable(contentsOf: folder.appending(path: "none.csv")) }
                == "no such file")
    }

    @Test func malformedDelimitedFilesNameTheLine() {
        #expect(Self.reason("") == "the file is empty")
        #expect(Self.reason("\r\n\n") == "the file is empty")
        #expect(Self.reason("text,label\r\n") == "the file has a header but no rows")
        #expect(Self.reason("body,label\nhi,x\n") == "no column 'text'; the columns are 'body', 'label'")
        #expect(Self.reason("text,class\nhi,x\n") == "no column 'label'; the columns are 'text', 'class'")
        #expect(Self.reason("text,label,text\nhi,x,y\n") == "the header names column 'text' 2 times")
        #expect(
            Self.reason("text,label\r\na,x\r\n\"b\nc\",y\r\nd,x,extra\r\n") == "line 5: 3 fields, but the header has 2")
        #expect(Self.reason("text,label\na,x\nb\n") == "line 3: 1 fields, but the header has 2")
        #expect(
            Self.reason("text,label\na,x\n\"b,y\nc,x\n") == "line 3: the quoted field that starts here is never closed")
        #expect(
            Self.reason("text,label\n\"a\"b,x\n")
                == "line 2: text follows the closing quote of a field (a quote inside a quoted field is written twice)")
        #expect(Self.reason("text,label\na,x\n,y\n") == "line 3: the text is empty")
        #expect(Self.reason("text,label\na,x\nb,\n") == "line 3: the label is empty")
        #expect(
            Self.reason(Array("text,label\r\na,x\r\n\"b\rc\",y\r\nd".utf8) + [0xC3, 0x28] + Array(",x\r\n".utf8))
                == "line 5: bytes that are not valid UTF-8; read the file as latin-1 if that is its encoding")
    }

    @Test func malformedJSONLinesNameTheLine() {
        #expect(Self.reason("\n  \n", .jsonl) == "the file is empty")
        #expect(
            Self.reason("{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\", \"label\": 1\n", .jsonl)
                == "line 2: invalid JSON")
        #expect(Self.reason("[\"a\", 1]\n", .jsonl) == "line 1: not a JSON object")
        #expect(
            Self.reason("{\"text\": \"a\", \"label\": 1}\n{\"body\": \"b\", \"label\": 1}\n", .jsonl)
                == "line 2: no member 'text'; the members are 'body', 'label'")
        #expect(Self.reason("{\"text\": 5, \"label\": 1}", .jsonl) == "line 1: 'text' is a number, not a string")
        #expect(
            Self.reason("{\"text\": \"a\", \"label\": true}", .jsonl)
                == "line 1: 'label' is a boolean, not a string or a number")
        #expect(
            Self.reason("{\"text\": \"a\", \"label\": null}", .jsonl)
                == "line 1: 'label' is null, not a string or a number")
        #expect(
            Self.reason(
                Array("{\"text\": \"a\", \"label\": 1}\n{\"text\": \"".utf8) + [0xFF] + Array("\", \"label\": 1}".utf8),
                .jsonl) == "line 2: bytes that are not valid UTF-8; read the file as latin-1 if that is its encoding")
    }

    @Test func refusesTheSameColumnForTextAndLabel() {
        #expect(
            TestSupport.invalidArgumentMessage {
                _ = try LabeledTextTable(
                    data: Data("text\nhi\n".utf8), path: "t.csv", format: .csv, textColumn: "text", labelColumn: "text")
            } == "the text and the label column are both 'text'")
    }
}
