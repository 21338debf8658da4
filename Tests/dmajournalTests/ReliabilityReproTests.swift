import Foundation
import Testing

/// Issue 21, items 1 and 5: inputs that trapped the engine on integer overflow, or took
/// unbounded time and memory from one op. Each, copied into fixtures/reliability, now ends
/// in a correct result (the kernel's own arithmetic on the values, cited in the engine)
/// or a one-line error naming the line — never a trap (exit 132), a hang or runaway
/// memory. Every run must finish within seconds.
@Suite struct ReliabilityReproTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let file: String
        let status: Int32
        /// Text the output must contain: the line of the op at issue, as printed.
        let output: String
        var testDescription: String { file }
    }

    static let runs: [Case] = [
        // dma_iova_link: iova_align(size + pad) wraps to 0, so nothing is mapped.
        Case(file: "link-len-overflow.ops", status: 0,
             output: "=> ok iova=0xffffe000, violation link-out-of-bounds, violation length-wraps"),
        // arm_lpae_map_pages() / generic_pt map_range(): a paddr past 52 bits is -ERANGE.
        Case(file: "link-phys-wrap.ops", status: 0, output: "=> error ERANGE, violation link-out-of-bounds"),
        Case(file: "map-phys-wrap.ops", status: 0, output: "=> error mapping iova=0xffffffffffffffff"),
        // __iommu_dma_map(): the wrapped size maps nothing behind the returned address.
        Case(file: "map-len-overflow.ops", status: 0, output: "=> ok iova=0xfffff000, violation length-wraps"),
        // make_range(): iova + size - 1 overflows, -EOVERFLOW: nothing is unmapped.
        Case(file: "unlink-overflow.ops", status: 0, output: "=> ok, violation unlink-not-linked"),
        // The slow unlink loop runs once (end = addr + size wraps), then the same refusal.
        Case(file: "destroy-noncoherent-overflow.ops", status: 0, output: "=> ok, violation destroy-length-mismatch"),
        // The bounced head, then a middle that runs past the aperture: -ERANGE and unwind.
        Case(file: "link-untrusted-len-overflow.ops", status: 0, output: "=> error ERANGE, violation link-out-of-bounds"),
        // phys + mapped wraps to 0 (phys_addr_t), as in iommu_dma_iova_link_swiotlb().
        // The head's bounce copy reads memory outside the direct map (no region holds
        // 2^64 - 0x100): 7.3 oopses in swiotlb_tbl_map_single() before `phys + mapped` wraps.
        Case(file: "link-untrusted-phys-wrap.ops", status: 0,
             output: "  7  link s1 phys=0xffffffffffffff00 len=8K dir=bidirectional  => oops, violation bounce-outside-direct-map"),
        // 16 TiB of 4 KiB PTEs is one run in the page table.
        Case(file: "hang-link-16T.ops", status: 0, output: "=> ok iova=0xffffe000, violation link-out-of-bounds"),
        // The clean over the whole range touches only the lines the cache holds; the IOVA
        // allocation then fails.
        Case(file: "hang-map-noncoherent.ops", status: 0, output: "=> error mapping iova=0xffffffffffffffff"),
        Case(file: "hang-unmap-noncoherent.ops", status: 0, output: "=> ok, violation unmap-size-mismatch, violation map-error-unchecked"),
        Case(file: "hang-unmap-noncoherent-mutant.ops", status: 1, output: "stopped at line 12: expectation failed"),
        Case(file: "hang-cpu-write-1T.ops", status: 2, output: "one access moves at most 0x40000000 bytes (1 GiB)"),
        Case(file: "hang-dev-write-1T-direct.ops", status: 2, output: "one access moves at most 0x40000000 bytes (1 GiB)"),
        Case(file: "swiotlb-huge-abort.ops", status: 2, output: "is more than the simulator's 0x40000000 (1 GiB, 524288 slots)"),
    ]

    @Test(arguments: runs)
    func theReproducerEndsCleanly(_ example: Case) throws {
        let started = Date()
        let run = try ToolRun.run(["run", "fixtures/reliability/\(example.file)"])
        #expect(run.status == example.status, "\(run.stderr)")
        #expect((run.stdout + run.stderr).contains(example.output), "\(run.stdout)\(run.stderr)")
        if example.status == 2 {
            #expect(run.stderr.split(separator: "\n").count == 1)
            #expect(run.stderr.hasPrefix("dmajournal: fixtures/reliability/\(example.file):"))
        }
        #expect(Date().timeIntervalSince(started) < 20)
    }

    /// Imported kernel log lines with a physical address or a size near 2^64. Those whose
    /// range passes 2^64 (the repro files: no kernel traces one) are refused in one line
    /// naming the line, exit 2, and nothing is journaled; a map that ends at 2^64 exactly
    /// (import-report-top-of-space.txt) is journaled, and replay runs it on the model
    /// without trapping: a map of 2^64 - 8 KiB the log says completed cannot fit the
    /// model's aperture, so it is the first disagreement (exit 1).
    @Test(arguments: [("import-replay-mapnosync.txt", "line 1: iommu_map_pr_debug whose address + length pass 2^64"),
                      ("import-replay-ownership.txt", "line 1: iommu_map_pr_debug whose address + length pass 2^64")])
    func anImportedMapPastTheTopIsRefused(_ file: String, _ output: String) throws {
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("repro-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let imported = try ToolRun.run(["import", "fixtures/reliability/\(file)", "--journal", journal])
        #expect(imported.status == 2)
        #expect(imported.stderr.split(separator: "\n").count == 1, "\(imported.stderr)")
        #expect(imported.stderr.contains(output), "\(imported.stderr)")
        #expect(!FileManager.default.fileExists(atPath: journal))
    }

    @Test func anImportedMapEndingAtTheTopReplays() throws {
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("repro-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let imported = try ToolRun.run(["import", "fixtures/reliability/import-report-top-of-space.txt", "--journal", journal])
        #expect(imported.status == 0, "\(imported.stderr)")
        let replayed = try ToolRun.run(["replay", journal])
        #expect(replayed.status == 1)
        let said = replayed.stdout + replayed.stderr
        #expect(said.contains("the model disagrees with the kernel at seq 1"), "\(said)")
        #expect(said.contains("model:  error mapping iova=0xffffffffffffffff"), "\(said)")
    }
}
