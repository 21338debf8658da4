import DMASim
import OpScript
import Testing
@testable import Oracle

/// Kernel beside model, line by line.
@Suite struct ComparerTests {
    static func row(_ comparison: OracleComparison, _ line: Int) throws -> LineComparison {
        try #require(comparison.lines.first { $0.line.lineNumber == line })
    }

    /// The README's quickstart of the run (fixtures/oracle/quickstart.ops) on 7.3.4: the
    /// IOVAs agree; what the kernel did with the stale write after dma_iova_destroy is
    /// pinned here, and the model, on 7.3's destroy, agrees.
    @Test func quickstartOnTheRealKernel() throws {
        let session = try OracleFixtures.session("quickstart.ops", folder: "oracle")
        let result = try session.compare(console: try OracleFixtures.console("quickstart"))
        let comparison = result.comparison
        #expect(comparison.lines.count == 20 && comparison.skipped == 0 && comparison.notRun == 0)
        #expect(try Self.row(comparison, 14).verdict == .agree)
        #expect(try Self.row(comparison, 14).kernel == "ok iova=0xffffc000")
        #expect(try Self.row(comparison, 26).kernel == "ok iova=0xffffa000")
        #expect(try Self.row(comparison, 18).verdict == .agree)
        // a write through a TO_DEVICE link: QEMU blocked it (memory unchanged) without a fault record
        let directionViolation = try Self.row(comparison, 21)
        #expect(directionViolation.verdict == .agree)
        #expect(directionViolation.details.contains { $0.hasPrefix("kernel: blocked without a fault record") })
        // 7.3's dma_iova_destroy unlinks and syncs the IOTLB at once, also in lazy mode:
        // the stale write faults and the page keeps what line 29 wrote
        let stale = try Self.row(comparison, 35)
        #expect(stale.kernel == "fault write at 0xffffa000")
        #expect(try Self.row(comparison, 36).kernel == "ok digest=0x" + String(Fill.seed(4).digest(length: 4096), radix: 16))
        let model = try ModelSide.run(session.plan, topology: result.topology)
        let modelFaults = model[35]?.outcome.fault != nil
        #expect((stale.verdict == .agree) == modelFaults)
        #expect(stale.verdict == .agree)
        #expect(result.topology.apertureBits == ["mmu0": 48])
    }

    @Test func aWarnWithAMessageMatchesTheModelsLineAtTheScriptsAddress() throws {
        let session = try OracleFixtures.session("misuse/use-of-mapping-error.ops")
        let comparison = try session.compare(console: try OracleFixtures.console("misuse-use-of-mapping-error")).comparison
        let map = try Self.row(comparison, 7)
        #expect(map.kernel == "error mapping")
        #expect(map.details.contains("kernel: prints it as a WARN splat at kernel/dma/direct.c:718 dma_direct_map_phys: old0: DMA addr 0x100000000000+4096 overflow (mask ffffffff, bus limit 0)."))
        #expect(try Self.row(comparison, 10).kernel == "ok iova=0x1000000")
    }

    @Test func anOopsIsTheKernelsOutcomeAndStopsTheRest() throws {
        let session = try OracleFixtures.session("bounce/link-head-middle-tail.ops")
        let comparison = try session.compare(console: try OracleFixtures.console("bounce-link-head-middle-tail")).comparison
        let link = try Self.row(comparison, 12)
        #expect(link.kernel.hasPrefix("oops (BUG: unable to handle page fault for address: ffff8bb670000f00 in memcpy_orig <- swiotlb_tbl_map_single"))
        #expect(comparison.notRun == 9)
        #expect(try Self.row(comparison, 13).verdict == .notRun("the kernel oopsed at line 12"))
    }

    static let script = """
        region shm0 base=0x100000000000 size=1T kind=shared
        iommu  mmu0 mode=strict
        device nvme0 iommu=mmu0 dma-bits=64 coherent
        alloc  s1 dev=nvme0 phys=0x100000000000 size=8K
        link   s1 phys=0x100000000000 len=8K dir=to-device
        dev-read nvme0 addr=s1 len=4K
        dev-write nvme0 addr=s1 len=4K fill=seed:1
        """

    /// A console with the given R lines for lines 4-7 of `script`.
    static func console(_ results: [String], messages: [Int: [String]] = [:]) -> String {
        var lines = [KernelLog.dmesgBegin,
                     "[ 1.0] dmaoracle: S dev 0 bdf=0000:00:10.0 bits=64 mask_ret=0 domain=DMA aperture_end=0xffffffffffff",
                     "[ 1.0] dmaoracle: S mem 0 kind=hidden phys=0x30000000 size=0x2000"]
        for (offset, result) in results.enumerated() {
            let line = 4 + offset
            lines.append("[ 1.1] dmaoracle: B \(line) x")
            lines += messages[line, default: []].map { "[ 1.2] " + $0 }
            lines.append("[ 1.3] dmaoracle: R \(line) \(result)")
        }
        return (lines + ["[ 2.0] dmaoracle: E done", KernelLog.dmesgEnd]).joined(separator: "\n")
    }

    static var zeroPages: String { "0:0x" + String(Fill.zero.digest(length: 0x2000), radix: 16) }

    static func compare(_ results: [String], messages: [Int: [String]] = [:]) throws -> OracleComparison {
        let session = try OracleSession(script: try ScriptParser().parse(script, fileName: "t.ops"), fileName: "t.ops")
        return try session.compare(console: console(results, messages: messages)).comparison
    }

    @Test func eachAspectThatDiffersIsNamed() throws {
        let readDigest = "0x" + String(Fill.zero.digest(length: 4096), radix: 16)
        let agreeing = try Self.compare([
            "alloc ret=1 addr=0xffffe000 size=0x2000", "link ret=0 size=0x2000",
            "devr addr=0xffffe000 xfer=0 digest=\(readDigest) faults=none",
            "devw addr=0xffffe000 xfer=0 faults=w@0xffffe000:0x5 mem=\(Self.zeroPages)",
        ])
        #expect(agreeing.lines.map(\.verdict) == [.agree, .agree, .agree, .agree])

        let differing = try Self.compare([
            "alloc ret=1 addr=0xffffc000 size=0x2000", "link ret=-16 size=0x2000",
            "devr addr=0xffffe000 xfer=0 digest=0x1234 faults=none",
            "devw addr=0xffffe000 xfer=0 faults=r@0xffffe000:0x6 mem=0:0x99",
        ])
        #expect(differing.lines.map(\.verdict) == [
            .differ(["address"]), .differ(["status"]), .differ(["digest"]),
            .differ(["fault direction", "memory of shm0 [0x100000000000, +0x2000)"]),
        ])
        #expect(differing.lines[1].kernel == "error EBUSY")
    }

    @Test func messagesTheModelDoesNotPrintAreADifference() throws {
        let comparison = try Self.compare(
            ["alloc ret=1 addr=0xffffe000 size=0x2000"],
            messages: [4: ["dmaoracle 0000:00:10.0: something new at 0x0000000030000010"]])
        #expect(comparison.lines[0].verdict == .differ(["messages"]))
        #expect(comparison.lines[0].details.first == "kernel prints, model does not: nvme0: something new at 0x100000000010")
        #expect(comparison.lines[1].verdict == .notRun("the module did not reach it"))
    }
}

/// The stale-IOTLB window of lazy mode, as 7.3.4 has it: after dma_unmap_phys a device
/// write still lands; after the flush queue's timer it faults.
@Suite struct LazyWindowTests {
    @Test func aWriteAfterALazyUnmapLandsUntilTheFlush() throws {
        let session = try OracleFixtures.session("kernel/lazy-unmap-stale-iotlb.ops")
        let log = KernelLog(console: try OracleFixtures.console("kernel-lazy-unmap-stale-iotlb"))
        #expect(log.devices[0]?.domainType == "DMA-FQ")
        #expect(log.results[12]?.fields["faults"] == "none")
        #expect(log.results[13]?.unsigned("digest") == Fill.seed(2).digest(length: 4096))
        #expect(log.results[15]?.fields["faults"] == "w@0xfffff000:0x5,w@0xfffff000:0x5")
        #expect(log.results[16]?.unsigned("digest") == Fill.seed(2).digest(length: 4096))
        let comparison = try session.compare(console: try OracleFixtures.console("kernel-lazy-unmap-stale-iotlb")).comparison
        #expect(comparison.lines.count == 9)
    }
}

/// The untrusted-device bounce of a partial granule, in RAM, as 7.3.4 ran it.
@Suite struct BounceInRAMTests {
    @Test func headMiddleAndTailSlotsAgreeWithTheKernel() throws {
        let session = try OracleFixtures.session("bounce/ram-link-head-middle-tail.ops")
        #expect(session.plan.devices.map(\.minAlignMask) == [0xfff])
        let log = KernelLog(console: try OracleFixtures.console("bounce-ram-link-head-middle-tail"))
        #expect(log.finished)
        #expect(log.results[14]?.fields["ret"] == "0")
        // bit 63 of __size: DMA_IOVA_USE_SWIOTLB
        #expect(log.results[14]?.unsigned("size") == 0x8000_0000_0000_2180)
        // reading the IOVA back gives the original: head slot, middle in place, tail slot
        #expect(log.results[17]?.unsigned("digest") == Fill.seed(1).digest(length: 0x2180))
        // the head slot's padding before the data reads as zero
        #expect(log.results[19]?.unsigned("digest") == Fill.zero.digest(length: 0xf00))
    }
}
