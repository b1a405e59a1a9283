import Foundation
import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("Numeric CSV tables")
struct NumericTableTests {
    /// The table of `csv`, read as a file named `rows.csv`.
    static func table(_ csv: String, columns: [String]? = nil) throws -> NumericTable {
        try NumericTable(csv: Data(csv.utf8), path: "rows.csv", columns: columns)
    }

    /// The one-line message of the error reading `bytes` throws, or nil if it reads.
    static func message(_ bytes: [UInt8], columns: [String]? = nil) -> String? {
        do {
            _ = try NumericTable(csv: Data(bytes), path: "rows.csv", columns: columns)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The message of the error reading `csv` throws.
    static func message(_ csv: String, columns: [String]? = nil) -> String? {
        message(Array(csv.utf8), columns: columns)
    }

    @Test func readsAHeaderAndRowsOfNumbers() throws {
        let table = try Self.table("a,b,c\n1,2.5,-3\n4e2, 0.125 ,\t-0\n")
        #expect(table.columnNames == ["a", "b", "c"])
        #expect(table.values == [1, 2.5, -3, 400, 0.125, 0])
        #expect((table.rowCount, table.columnCount) == (2, 3))
        #expect(Array(table.row(1)) == [400, 0.125, 0])
        #expect(table.column(named: "b") == [2.5, 0.125])
        #expect(table.column(named: "d") == nil)
    }

    @Test func quotedFieldsCRLFAndEmptyLinesAreRFC4180() throws {
        let table = try Self.table(
            "\u{FEFF}\"mean radius\",\"a, \"\"quoted\"\" name\"\r\n\r\n\"17.99\",1\r\n\n20.57,\"2\"")
        #expect(table.columnNames == ["mean radius", "a, \"quoted\" name"])
        #expect(table.values == [17.99, 1, 20.57, 2])
    }

    @Test func columnsAreSelectedAndReorderedByName() throws {
        let table = try Self.table("id,x,y,diagnosis\n7,1,2,M\n8,3,4,B\n", columns: ["y", "x"])
        #expect(table.columnNames == ["y", "x"])
        #expect(table.values == [2, 1, 4, 3])
        let swapped = try table.columns(named: ["x", "y"])
        #expect(swapped.values == [1, 2, 3, 4] && swapped.path == "rows.csv")
        #expect(try swapped.columns(named: ["y"]).values == [2, 4])
        #expect(table.rows([1, 1, 0]).values == [4, 3, 4, 3, 2, 1])
    }

    @Test func badValuesAreNamedByLineAndColumn() {
        let header = "mean radius,mean texture\n"
        #expect(
            Self.message(header + "1,2\n\n3,4\n5,6\n\nabc,9\n")
                == "rows.csv: line 7, column 'mean radius': 'abc' is not a number")
        #expect(
            Self.message(header + "1,nan\n")
                == "rows.csv: line 2, column 'mean texture': 'nan' is not a finite float32 number")
        #expect(Self.message(header + "1,-inf\n")?.contains("'-inf' is not a finite") == true)
        #expect(Self.message(header + "1,1e39\n")?.contains("'1e39' is not a finite float32 number") == true)
        #expect(Self.message(header + "1,\n") == "rows.csv: line 2, column 'mean texture' is empty")
        #expect(Self.message(header + "1,\"2\n3\"\n")?.contains("'2\\n3' is not a number") == true)
        // Only the columns read must be numbers.
        #expect(Self.message("x,label\n1,M\n", columns: ["x"]) == nil)
        #expect(Self.message("x,label\n1,M\n") == "rows.csv: line 2, column 'label': 'M' is not a number")
    }

    @Test func malformedFilesAreRejectedInOneLine() {
        #expect(Self.message("") == "rows.csv: the file is empty")
        #expect(Self.message("\n\r\n") == "rows.csv: the file is empty")
        #expect(Self.message("a,b\n") == "rows.csv: the file has a header but no rows")
        #expect(Self.message("a,b\n1,2\n3\n") == "rows.csv: line 3: 1 fields, but the header has 2")
        #expect(Self.message("a,b\n1,2\n3,4,5\n") == "rows.csv: line 3: 3 fields, but the header has 2")
        #expect(Self.message("a,b\n1,\"2\n") == "rows.csv: line 2: the quoted field that starts here is never closed")
        #expect(Self.message("a,a\n1,2\n") == "rows.csv: the header names column 'a' 2 times")
        #expect(
            Self.message(Array("a,b\n1,2\n3,".utf8) + [0xFF, 0x0A])
                == "rows.csv: line 3: bytes that are not valid UTF-8")
    }

    @Test func missingColumnsAreAllNamed() throws {
        #expect(
            Self.message("a,b\n1,2\n", columns: ["b", "c", "d"])
                == "rows.csv: no columns 'c', 'd'; the columns are 'a', 'b'")
        let table = try Self.table("a,b\n1,2\n")
        #expect(
            TestSupport.invalidFileReason { _ = try table.columns(named: ["c"]) }
                == "no column 'c'; the columns are 'a', 'b'")
        #expect(
            TestSupport.invalidFileReason { _ = try table.columns(named: ["a", "a"]) }
                == "column 'a' is asked for twice")
    }

    @Test func aMissingFileIsNamed() throws {
        let url = try TestSupport.temporaryDirectory().appending(path: "absent.csv")
        #expect(TestSupport.invalidFileReason { _ = try NumericTable(contentsOf: url) } == "no such file")
    }

    @Test func readsAFileFromDisk() throws {
        let url = try TestSupport.temporaryDirectory().appending(path: "rows.csv")
        try Data("x,y\n1,2\n".utf8).write(to: url)
        let table = try NumericTable(contentsOf: url, columns: ["y"])
        #expect(table.values == [2] && table.path == url.path(percentEncoded: false))
    }

    /// Every prefix of a table either reads as its complete rows (a cut inside the last row's
    /// last number can leave a shorter number) or fails with one line naming the file — never a
    /// crash, never a row from nowhere.
    @Test func truncatedFilesFailCleanlyOrKeepWholeRows() throws {
        let csv = Array("a,\"b c\"\r\n1.5,-2\r\n\"3\",4e1\r\n5,6\r\n".utf8)
        for length in 0..<csv.count {
            do {
                let table = try NumericTable(csv: Data(csv.prefix(length)), path: "cut.csv")
                #expect(table.columnNames == ["a", "b c"])
                #expect(table.rowCount >= 1 && table.rowCount <= 3)
                #expect(
                    Array(table.values.prefix(table.values.count - 1))
                        == Array([1.5, -2, 3, 40, 5].prefix(table.values.count - 1)))
            } catch let error as GlassboxError {
                #expect("\(error)".hasPrefix("cut.csv: ") && !"\(error)".contains("\n"), "\(error)")
            }
        }
    }

    /// Flipping any one byte of a table to one of a few troublesome values gives a table or a
    /// one-line error naming the file.
    @Test func corruptedBytesFailCleanly() throws {
        let csv = Array("x,y\n1,2\n\"3\",4\n".utf8)
        for index in csv.indices {
            for replacement: UInt8 in [0x00, 0x22, 0x2C, 0x0A, 0x0D, 0x41, 0x80, 0xC3, 0xFF] {
                var bytes = csv
                bytes[index] = replacement
                if let message = Self.message(bytes) {
                    #expect(message.hasPrefix("rows.csv: ") && !message.contains("\n"), "\(message)")
                }
            }
        }
    }

    @Test func tablesMadeInCodeAreChecked() throws {
        let table = try NumericTable(columnNames: ["a", "b"], values: [1, 2, 3, 4], path: "mine")
        #expect(table.rowCount == 2)
        #expect(throws: GlassboxError.self) {
            try NumericTable(columnNames: ["a", "b"], values: [1, 2, 3], path: "t")
        }
        #expect(throws: GlassboxError.self) { try NumericTable(columnNames: ["a", "a"], values: [1, 2], path: "t") }
        #expect(throws: GlassboxError.self) { try NumericTable(columnNames: [], values: [], path: "t") }
        #expect(throws: GlassboxError.self) { try NumericTable(columnNames: ["a"], values: [.nan], path: "t") }
    }

    /// The statistics against values worked out by hand: column a is 1, 2, 3, 6 (mean 3,
    /// population variance (4 + 1 + 0 + 9)/4 = 3.5); column b is constant.
    @Test func columnStatisticsArePopulationMomentsPerColumn() throws {
        let table = try NumericTable(columnNames: ["a", "b"], values: [1, 5, 2, 5, 3, 5, 6, 5], path: "t")
        let (mean, deviation) = table.columnStatistics()
        #expect(mean == [3, 5])
        #expect(abs(deviation[0] - Float(3.5).squareRoot()) < 1e-6 && deviation[1] == 0)
    }
}
