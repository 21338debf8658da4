import Testing
@testable import Journal

/// Streaming output (issue 16) and exact 64-bit values (issue 17 item 3).
@Suite struct QueryRowWriterTests {
    /// CSV and JSON hand over each row as it is added: nothing waits for the end.
    @Test(arguments: [QueryOutputFormat.csv, .json])
    func rowsAreWrittenAsTheyCome(_ format: QueryOutputFormat) {
        var chunks: [String] = []
        let writer = QueryRowWriter(columns: ["seq"], format: format) { chunks.append($0) }
        writer.add([.integer(1)])
        let afterFirst = chunks.joined()
        #expect(afterFirst.contains("1"), "the first row is out before the second is added")
        writer.add([.integer(2)])
        writer.finish()
        #expect(chunks.joined() == QueryResult(columns: ["seq"], rows: [[.integer(1)], [.integer(2)]]).formatted(as: format))
    }

    /// The table format holds back at most `lookAhead` rows to size its columns, then
    /// writes every later row at once; a wider later cell is written whole.
    @Test func tableHoldsBackABoundedNumberOfRows() {
        var text = ""
        let writer = QueryRowWriter(columns: ["n"], format: .table, lookAhead: 3) { text += $0 }
        writer.add([.integer(1)])
        writer.add([.integer(2)])
        #expect(text.isEmpty)
        writer.add([.integer(3)])
        #expect(text == "n\n-\n1\n2\n3\n")
        writer.add([.integer(12345)])
        #expect(text.hasSuffix("3\n12345\n"))
        writer.finish()
    }

    /// Address columns show in hex in the table and stay integers in SQL; digests keep
    /// their 16 digits; other integers stay decimal.
    @Test func tableShowsAddressColumnsInHex() {
        let result = QueryResult(columns: ["iova", "digest", "length", "fault_address"],
                                 rows: [[.integer(0xffff_c000), .integer(0x1234), .integer(4096), .integer(-4096)]])
        #expect(result.formatted(as: .table) == """
            iova        digest              length  fault_address
            ----------  ------------------  ------  ------------------
            0xffffc000  0x0000000000001234  4096    0xfffffffffffff000

            """)
    }

    /// jq reads numbers as doubles: an integer beyond 2^53 is a string of its exact
    /// digits, an address column's value is unsigned.
    @Test func jsonKeepsSixtyFourBitValuesExact() {
        let result = QueryResult(columns: ["n", "big", "iova", "digest"],
                                 rows: [[.integer(1 << 53), .integer((1 << 53) + 1), .integer(-4096), .integer(0x1000)]])
        #expect(result.formatted(as: .json) == """
            [
              {"n": 9007199254740992, "big": "9007199254740993", "iova": "18446744073709547520", "digest": 4096}
            ]

            """)
    }
}
