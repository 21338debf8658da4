import DMASim
import Journal
import Testing
@testable import TraceImport

/// The records the import reads ahead, indexed by the IOVA the kernel gave each
/// allocation: where a flush-queue timer run's ranges went next (`fq_flush_timeout()` →
/// `free_iova_fast()` into the running CPU's magazine, drivers/iommu/dma-iommu.c and
/// iova.c) is one look-up, and it answers what a scan of the window would.
@Suite struct LookaheadRecordsTests {
    static func map(_ iova: UInt64, cpu: Int?, device: String = "nvme", status: OutcomeStatus = .ok, line: Int) -> ImportedOp {
        let provenance = ImportProvenance(sourceID: 1, line: line, lineCount: 1, sourceFormat: "ftrace", kernelNaming: "dma_map_phys",
                                          cpu: cpu, raw: "")
        return ImportedOp(op: Op(.map(MapOp(mapping: "m\(line)", device: device, phys: 0x1000, length: 512, direction: .toDevice))),
                          outcome: Outcome(status: status, address: iova), provenance: provenance)
    }

    /// The first allocation ahead that got an IOVA in the granule, on a known CPU and of
    /// the device asked about (the DMA address keeps its offset into the page); once it
    /// has run, the next.
    @Test func theNextOwnerIsTheFirstAllocationAheadInTheGranule() {
        var ahead = LookaheadRecords(capacity: 8)
        ahead.append(Self.map(0xfffa_e750, cpu: nil, line: 1), facts: MachineFacts())      // no CPU: skipped, as a scan skips it
        ahead.append(Self.map(0xfffa_e000, cpu: 1, device: "edu", line: 2), facts: MachineFacts())
        ahead.append(Self.map(0xfffa_e2a0, cpu: 1, status: .mappingError, line: 3), facts: MachineFacts())
        ahead.append(Self.map(0xfffa_e750, cpu: 0, line: 4), facts: MachineFacts())
        ahead.append(Self.map(0xfffa_e000, cpu: 1, line: 5), facts: MachineFacts())
        #expect(ahead.nextOwner(ofGranuleAt: 0xfffa_e000, granule: 4096, device: "nvme") == 0)
        #expect(ahead.nextOwner(ofGranuleAt: 0xfffa_e000, granule: 4096, device: "edu") == 1)
        #expect(ahead.nextOwner(ofGranuleAt: 0xfffa_d000, granule: 4096, device: "nvme") == nil)
        // A 64 KiB granule holds the page.
        #expect(ahead.nextOwner(ofGranuleAt: 0xfffa_0000, granule: 0x10000, device: "nvme") == 0)
        for _ in 0..<4 { _ = ahead.removeFirst() }
        #expect(ahead.nextOwner(ofGranuleAt: 0xfffa_e000, granule: 4096, device: "nvme") == 1)
        #expect(ahead.nextOwner(ofGranuleAt: 0xfffa_e000, granule: 4096, device: "edu") == nil)
        _ = ahead.removeFirst()
        #expect(ahead.isEmpty)
        #expect(ahead.nextOwner(ofGranuleAt: 0xfffa_e000, granule: 4096, device: "nvme") == nil)
    }

    /// A call taken out of order (a traced timer run came inside it,
    /// `FlushTimerPlacement.callInterrupted`) leaves the index with it.
    @Test func aCallTakenOutOfOrderLeavesTheIndex() {
        var ahead = LookaheadRecords(capacity: 8)
        for (line, cpu) in [(1, 0), (2, 1), (3, 0)] { ahead.append(Self.map(0xffd5_5000, cpu: cpu, line: line), facts: MachineFacts()) }
        let taken = ahead.remove(pendingAt: 1)
        #expect(taken.record.provenance?.line == 2)
        _ = ahead.removeFirst()
        #expect(ahead.nextOwner(ofGranuleAt: 0xffd5_5000, granule: 4096, device: "nvme") == 0)
        #expect(ahead.pending.map { $0.provenance?.line } == [3])
    }

    /// A page handed out thousands of times in the window (a 4 KiB ping-pong) stays one
    /// look-up and forgets each use as it runs.
    @Test func aHotPageIsForgottenInOrder() {
        var ahead = LookaheadRecords(capacity: 10_000)
        for line in 0..<5_000 { ahead.append(Self.map(0xfff6_e000, cpu: line % 2, line: line), facts: MachineFacts()) }
        for line in 0..<4_999 {
            #expect(ahead.removeFirst()?.record.provenance?.line == line)
            if line % 1_000 == 0 { #expect(ahead.nextOwner(ofGranuleAt: 0xfff6_e000, granule: 4096, device: "nvme") == (line + 1) % 2) }
        }
        #expect(ahead.nextOwner(ofGranuleAt: 0xfff6_e000, granule: 4096, device: "nvme") == 1)
    }
}
