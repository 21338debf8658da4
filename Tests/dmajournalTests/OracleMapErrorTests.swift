import Testing

/// The generic page table's map errors on Linux 7.3.4's VT-d, measured by `dmajournal
/// oracle` (the consoles in fixtures/oracle/) and compared again with the model:
/// `iommu_map_nosync()` → `map_range()` returns -EADDRINUSE over a present PTE
/// (`__map_range_leaf()` → `clear_contig()`) and -ENXIO for an IOVA off the granule
/// (`pt_compute_best_pgsize()` is 0), printing nothing for either.
@Suite struct OracleMapErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let script: String
        let lines: Int
        /// The script line that fails, as `dmajournal oracle` prints its row.
        let row: String
        var testDescription: String { script }
        var console: String { "fixtures/oracle/" + script.replacingOccurrences(of: "/", with: "-") + ".console.log" }
    }

    static let cases: [Case] = [
        Case(script: "kernel/eaddrinuse-unrolls-own-part", lines: 6,
             row: "  12  agree   link s1 phys=0x100000010000 len=8K dir=bidirectional  => error EADDRINUSE\n"),
        Case(script: "misuse/free-with-linked-ranges", lines: 7,
             row: "  12  agree   link s2 phys=0x100000010000 len=4K dir=bidirectional  => error EADDRINUSE\n"),
        Case(script: "misuse/link-out-of-bounds", lines: 4,
             row: "   9  agree   link s1 phys=0x100000000000 len=8K dir=bidirectional  => error EADDRINUSE\n"),
        Case(script: "misuse/overlapping-link", lines: 5,
             row: "   9  agree   link s1 off=4K phys=0x100000020000 len=4K dir=bidirectional  => error EADDRINUSE\n"),
        Case(script: "misuse/unaligned-link", lines: 5,
             row: "  10  agree   link s1 phys=0x100000000200 len=4K dir=to-device  => error ENXIO\n"),
    ]

    @Test(arguments: cases) func theModelAgreesWithTheKernel(_ testCase: Case) throws {
        let script = "fixtures/scripts/\(testCase.script).ops"
        let run = try ToolRun.run(["oracle", script, "--console", testCase.console])
        #expect(run.status == 0, "\(run.stdout)")
        // The failing line: the kernel's errno, and no WARN or message on either side.
        #expect(run.stdout.contains(testCase.row), "\(run.stdout)")
        #expect(!run.stdout.contains("WARN splats") && !run.stdout.contains("prints"))
        #expect(run.stdout.hasSuffix("\(script): \(testCase.lines) lines: \(testCase.lines) agree, 0 differ, 0 skipped, 0 not run\n"))
    }
}
