import Testing

/// Runs of Linux 7.3.4 under QEMU kept as consoles (fixtures/oracle/), compared again with
/// the model: virtio-iommu's two "iommu: unaligned" lines (`__iommu_map_domain_pgtbl()`,
/// then the unwind's `iommu_unmap(domain, iova, 0)`), a stale handle on a kernel without
/// CONFIG_DMA_API_DEBUG, and the oops of a bounce outside the direct map (dma-direct under
/// swiotlb=force, and an untrusted device's `dma_iova_link`), compared by its call chain.
@Suite struct OracleConsoleTests {
    static let cases: [(script: String, lines: Int, agree: Int)] = [
        ("kernel/virtio-unaligned-link-einval", 3, 3),
        ("kernel/dma-debug-stale-handle", 8, 8),
        ("lab/hidden-noiommu-swiotlb-force", 8, 8),
        ("misuse/bounce-outside-direct-map", 9, 2),
    ]

    @Test(arguments: cases.map(\.script)) func theModelAgreesWithTheKernel(_ name: String) throws {
        let testCase = try #require(Self.cases.first { $0.script == name })
        let script = "fixtures/scripts/\(name).ops"
        let console = "fixtures/oracle/" + name.replacingOccurrences(of: "/", with: "-") + ".console.log"
        let run = try ToolRun.run(["oracle", script, "--console", console])
        #expect(run.status == 0, "\(run.stdout)")
        let notRun = testCase.lines - testCase.agree
        #expect(run.stdout.hasSuffix("\(script): \(testCase.lines) lines: \(testCase.agree) agree, 0 differ, 0 skipped, \(notRun) not run\n"), "\(run.stdout)")
    }
}
