import Foundation
import Testing

/// A pasted kernel log imports into a journal whose replay agrees with the kernel: what a
/// log cannot show (the mappings made before it, the swiotlb slots taken before it) is
/// filled in by the import's stand-ins or left unclaimed, never claimed wrongly.
@Suite struct LogReplayTests {
    static let corpus: [String] = {
        let root = TestPaths.packageRoot
        return ["fixtures/logs", "fixtures/logs/formats"].flatMap { folder -> [String] in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
            return names.filter { $0.hasSuffix(".txt") }.sorted().map { "\(folder)/\($0)" }
        }
    }()

    /// Every log of the corpus, dma-debug-formats.txt included: its last report comes after
    /// the driver's release (`dma_debug_device_change()`), once a driver bound the device
    /// again, which the model allows as the kernel does (unbind reclaims nothing).
    @Test(arguments: corpus)
    func replayOfAnImportedLogAgrees(_ log: String) throws {
        let journal = try TraceReplayTests.imported([log])
        let replay = try ToolRun.run(["replay", journal])
        #expect(replay.status == 0, "\(replay.stderr)")
    }

    /// A permission fault (AMD-Vi `flags=0x0030`: write, present) at an address no line of
    /// the log mapped: the stand-in page is mapped TO_DEVICE, read-only
    /// (`dma_info_to_prot()`), so the model meets the same permission fault.
    @Test func aPermissionFaultGetsAStandInWithoutThatPermission() throws {
        let (_, _, lines) = try TraceReplayTests.simulation(of: "fixtures/logs/amdvi-split-event-logged-syslog-ubuntu-forums-2017.txt")
        #expect(lines.contains { $0.hasPrefix("map t1 ") && $0.contains("dir=to-device") })
        #expect(lines.contains { $0.hasPrefix("dev-write dev-02:00.0 addr=t1+") && $0.contains("=> fault permission") })
    }

    /// A device the IOMMU reported a fault for is behind it, though the log's iommu-group
    /// lines named only other devices (`intel_iommu` fault handler `dmar_fault()`).
    @Test func aFaultingDeviceIsBehindTheIOMMU() throws {
        let (_, _, lines) = try TraceReplayTests.simulation(of: "fixtures/logs/dmar-kernel-tag-only-wrapped-apple-spi.txt")
        #expect(lines.contains { $0.hasPrefix("device dev-00:1e.3 iommu=iommu") })
    }

    /// "swiotlb buffer is full" depends on slots taken before the log: the failed map is
    /// journaled as the kernel did it and claims nothing, and the summary says why.
    @Test func aSwiotlbFullMapClaimsNothing() throws {
        let (_, script, lines) = try TraceReplayTests.simulation(of: "fixtures/logs/swiotlb-full-5.10-xhci-dmar-bounce-map-failed.txt")
        let maps = lines.filter { $0.hasPrefix("map ") }
        #expect(!maps.isEmpty)
        #expect(maps.allSatisfy { !$0.contains("=> error") })
        #expect(script.contains("claims nothing: the slots taken before the log are unknown"))
    }

    /// dma-direct reports an overflow instead of bouncing only when swiotlb is not active
    /// for the device (`dma_direct_map_phys()`: `is_swiotlb_active()` false): the device has
    /// no IOMMU, its mask is the one printed, the machine no pool, and the map fails.
    @Test func aDirectOverflowMeansNoPoolAndA32BitDirectDevice() throws {
        let (_, _, lines) = try TraceReplayTests.simulation(of: "fixtures/logs/formats/dma-direct-overflow-without-pool.txt")
        #expect(lines.contains("swiotlb noforce"))
        #expect(lines.contains("device dev-0000:01:00.0 iommu=none dma-bits=32 coherent"))
        #expect(lines.contains { $0.hasPrefix("map m1 dev=dev-0000:01:00.0 phys=0x812345000 len=4K") && $0.contains("=> error") })
    }

    /// `swiotlb_map()`'s overflow names the slot it bounced into: the pool lies there, out
    /// of the device's reach, and the model's bounce fails as the kernel's did.
    @Test func aSwiotlbOverflowPlacesThePoolWhereTheSlotWas() throws {
        let (_, _, lines) = try TraceReplayTests.simulation(of: "fixtures/logs/formats/swiotlb-addr-overflow-pool-above-4g.txt")
        #expect(lines.contains("swiotlb size=256K base=0x100000000"))
        #expect(lines.contains("device dev-0000:02:00.0 iommu=none dma-bits=32 coherent"))
        #expect(lines.contains { $0.hasPrefix("map m1 dev=dev-0000:02:00.0") && $0.contains("=> error") })
    }

    /// The boot pool as `swiotlb_print_info()` reports it is the one declared, unless
    /// `swiotlb_exit()` tore it down.
    @Test func theBootPoolLineDeclaresThePoolAndTearingDownRemovesIt() throws {
        let mapped = try TraceReplayTests.simulation(of: "fixtures/logs/formats/swiotlb-pool-mapped-then-full.txt").lines
        #expect(mapped.contains("swiotlb size=64M base=0xbbfd0000"))
        let tornDown = try TraceReplayTests.simulation(of: "fixtures/logs/formats/swiotlb-pool-torn-down-then-overflow.txt").lines
        #expect(tornDown.contains("swiotlb noforce"))
        #expect(tornDown.contains { $0.hasPrefix("map m1 dev=dev-0000:03:00.0 phys=0x123456000") && $0.contains("=> error") })
    }

    /// dma-debug's "tries to free an invalid DMA memory address" is an unmap of
    /// `DMA_MAPPING_ERROR` (`check_unmap()`): its stand-in is a failed map (larger than the
    /// IOVA space) with no `dma_mapping_error()` check, and a "failed to check map error"
    /// report's stand-in has no check either, so the model reports both as the kernel did.
    @Test func anInvalidAddressUnmapGetsAFailedMapStandIn() throws {
        let (_, _, lines) = try TraceReplayTests.simulation(of: "fixtures/logs/formats/dma-debug-formats.txt")
        let unmap = try #require(lines.firstIndex { $0.contains("=> violation unmap-of-mapping-error") })
        #expect(lines[unmap - 1].hasPrefix("map u2 ") && lines[unmap - 1].contains("len=256T"))
        let unchecked = try #require(lines.firstIndex { $0.contains("=> violation map-error-unchecked") })
        #expect(lines[unchecked - 1].hasPrefix("map "))
    }

    /// "cacheline tracking EEXIST" (`add_dma_entry()`): a live mapping the device may write
    /// shares the map's cacheline, so it gets a stand-in there; 7.x never reports it on x86
    /// (`dma_get_cache_alignment()` below `L1_CACHE_BYTES`), so a log that shows it before
    /// the machine is declared follows 6.16's rules, and one that shows it later claims only
    /// that the map went through.
    @Test func aCachelineOverlapGetsTheMappingItOverlapped() throws {
        let (_, _, first) = try TraceReplayTests.simulation(of: "fixtures/logs/formats/dma-debug-cacheline-eexist-first.txt")
        #expect(first.contains { $0.hasPrefix("machine ") && $0.contains("kernel=6.16") })
        let overlap = try #require(first.firstIndex { $0.contains("=> violation overlapping-cacheline-mapping") })
        #expect(first[overlap - 2].hasPrefix("map o1 "))
        let (_, script, late) = try TraceReplayTests.simulation(of: "fixtures/logs/formats/dma-debug-formats.txt")
        #expect(late.contains { $0.hasPrefix("machine ") && $0.contains("kernel=7.3") })
        #expect(late.contains { $0.hasPrefix("map m1 ") && $0.contains("=> completed") })
        #expect(script.contains("a cacheline tracking EEXIST report claims only that the map went through"))
    }

    /// 7.1+ dma-debug's "dma_map_resource called for RAM address %pa" (debug_dma_map_phys():
    /// DMA_ATTR_MMIO on a page pfn_valid() and not PageReserved()) is an MMIO map of that
    /// phys, which claims the model's `mmio-map-of-ram`, and the model agrees.
    @Test func anMMIOMapOfRAMClaimsItsClass() throws {
        let (journal, _, lines) = try TraceReplayTests.simulation(of: "fixtures/logs/formats/dma-debug-7.1-mmio-map-of-ram.txt")
        #expect(lines.contains { $0.hasPrefix("map m1 dev=dev-0000:03:00.0 phys=0x10000000 ") && $0.contains("attrs=mmio")
            && $0.contains("=> violation mmio-map-of-ram") })
        #expect(try ToolRun.run(["replay", journal]).status == 0)
    }

    /// Stable took the 7.1 check into 6.18.y and 7.0.y; the model's 6.18 stands for 6.18.0,
    /// which has none: on a log whose kernel is 6.18 the report claims only that the map
    /// went through (a violation claim would be a disagreement of release, not of model).
    @Test func anMMIOMapOfRAMOnAStableKernelClaimsOnlyTheMap() throws {
        let fixture = TestPaths.packageRoot.appendingPathComponent("fixtures/logs/formats/dma-debug-7.1-mmio-map-of-ram.txt")
        let lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        let log = TraceReplayTests.temporary(".txt")
        try (["# kernel 6.18.30"] + lines.map(String.init)).joined(separator: "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let (journal, script, ops) = try TraceReplayTests.simulation(of: log)
        #expect(script.contains("machine arch=x86_64 kernel=6.18 "))
        #expect(ops.contains { $0.hasPrefix("map m1 ") && $0.contains("attrs=mmio") && $0.contains("=> completed") })
        #expect(script.contains("predates 7.1's debug_dma_map_phys() check"))
        #expect(try ToolRun.run(["replay", journal]).status == 0)
    }
}
