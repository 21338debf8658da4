import Testing
@testable import Journal

@Suite struct QueryResultFormatTests {
    static let result = QueryResult(
        columns: ["seq", "device", "note"],
        rows: [
            [.integer(7), .text("nvme0"), .null],
            [.integer(12), .text("nic,1"), .text("say \"hi\"\nbye")],
            [.real(0.5), .blob([0xDE, 0xAD]), .text("tab\there")],
        ])

    @Test func csvQuotesEmptyTextButNotNull() {
        let result = QueryResult(columns: ["a", "b", "c"], rows: [[.text(""), .null, .text("é")]])
        #expect(result.formatted(as: .csv) == "a,b,c\n\"\",,\"é\"\n")
    }

    @Test func table() {
        #expect(Self.result.formatted(as: .table) == """
            seq  device  note
            ---  ------  -------------
            7    nvme0   NULL
            12   nic,1   say "hi"\\nbye
            0.5  xdead   tab\\there

            """)
    }

    @Test func csv() {
        #expect(Self.result.formatted(as: .csv) == """
            seq,device,note
            7,nvme0,
            12,"nic,1","say ""hi""
            bye"
            0.5,xdead,"tab\there"

            """)
    }

    @Test func json() {
        #expect(Self.result.formatted(as: .json) == """
            [
              {"seq": 7, "device": "nvme0", "note": null},
              {"seq": 12, "device": "nic,1", "note": "say \\"hi\\"\\nbye"},
              {"seq": 0.5, "device": "xdead", "note": "tab\\there"}
            ]

            """)
        #expect(QueryResult(columns: ["x"], rows: []).formatted(as: .json) == "[]\n")
    }

    @Test func emptyTableKeepsItsHeader() {
        #expect(QueryResult(columns: ["seq", "kind"], rows: []).formatted(as: .table) == "seq  kind\n---  ----\n")
    }
}
