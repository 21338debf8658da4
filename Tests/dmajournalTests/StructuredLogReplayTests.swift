import Testing

/// `journalctl -k -o json`, `-o json-pretty`, `-o verbose` and `dmesg --json` of a log are
/// that log: each record's message is read as its dmesg line, so the import journals the
/// same ops, and the replay claims the same violation, as the plain log's
/// (`fixtures/logs/formats/*-dma-debug-ftgmac100.txt`, made from
/// `dma-debug-5.11-ftgmac100-different-size.txt`: `check_unmap()`'s "frees DMA memory with
/// different size").
@Suite struct StructuredLogReplayTests {
    static let plain = "fixtures/logs/dma-debug-5.11-ftgmac100-different-size.txt"
    static let forms = ["journalctl-json", "journalctl-json-pretty", "journalctl-verbose", "dmesg-json"]
        .map { "fixtures/logs/formats/\($0)-dma-debug-ftgmac100.txt" }

    /// The script's op lines without their `# file:line` comments, which name the file.
    static func ops(_ log: String) throws -> [String] {
        try TraceReplayTests.simulation(of: log).lines.map { line in
            line.range(of: "  # ").map { String(line[..<$0.lowerBound]) } ?? line
        }
    }

    @Test(arguments: forms)
    func aStructuredFormImportsAsThePlainLog(_ log: String) throws {
        let expected = try Self.ops(Self.plain)
        #expect(expected.contains { $0.hasPrefix("unmap u1 len=42 ") && $0.hasSuffix("=> violation unmap-size-mismatch") })
        #expect(try Self.ops(log) == expected)
    }

    /// The import's report names the record's first line and its time as dmesg prints it.
    @Test func aSkippedRecordIsListedByItsFirstLine() throws {
        let journal = TraceReplayTests.temporary(".db")
        let run = try ToolRun.run(["import", Self.forms[1], "--journal", journal])
        #expect(run.status == 0)
        #expect(run.stderr.contains("14 not a DMA or IOMMU line: line 4 '[    5.149278] ------------[ cut here ]"))
    }
}
