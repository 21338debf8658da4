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

    /// Not yet: dma-debug's "tries to free an invalid DMA memory address" (`check_unmap()`
    /// on `DMA_MAPPING_ERROR`) names a mapping whose failed map the log does not show, and
    /// the import has no stand-in for a failed map, so the model sees an ordinary unmap.
    static let knownToPart: Set<String> = ["fixtures/logs/formats/dma-debug-formats.txt"]

    @Test(arguments: corpus.filter { !knownToPart.contains($0) })
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
}
