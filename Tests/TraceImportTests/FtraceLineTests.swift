import DMASim
import Testing
@testable import TraceImport

/// ftrace text: the prefix (task, pid, CPU, the 4-, 5- or 7-character flags, timestamp)
/// and the fields of the dma:* and iommu:* events, one line each.
@Suite struct FtraceLineTests {
    /// A real line (fixtures/traces/03…): the newer range form of iommu:map, 5-character flags.
    @Test func iommuMapRangeFormWithFiveCharacterFlags() throws {
        let event = try onlyEvent(in: "  gem_exec_gttfil-1010    [004] .N...    50.126420: map: IOMMU: iova=0x00003fffffc00000 - 0x0000400000000000 paddr=0x00000001b9400000 size=4194304")
        #expect(event.kind == .map)
        #expect(event.naming == "iommu_map")
        #expect(event.provenance.format == .ftrace)
        #expect(event.provenance.task == "gem_exec_gttfil")
        #expect(event.provenance.pid == 1010)
        #expect(event.provenance.cpu == 4)
        #expect(event.provenance.timestampNanoseconds == 50_126_420_000)
        #expect(event.address == 0x3fff_ffc0_0000)
        #expect(event.phys == 0x1_b940_0000)
        #expect(event.sizeBytes == 4_194_304)
        #expect(event.device == nil)
    }

    struct FlagsCase: Sendable, CustomStringConvertible {
        let line: String
        let width: Int?
        var description: String { "\(width.map(String.init) ?? "no") flags" }
    }

    static let flagCases: [FlagsCase] = [
        FlagsCase(line: "          <idle>-0     [001] d.h1  4242.000001: io_page_fault: IOMMU:nvme 0000:01:00.0 iova=0x00000000fff00000 flags=0x0001", width: 4),
        FlagsCase(line: "          <idle>-0     [001] d.h1.  4242.000001: io_page_fault: IOMMU:nvme 0000:01:00.0 iova=0x00000000fff00000 flags=0x0001", width: 5),
        FlagsCase(line: "          <idle>-0     [001] d.h1.1.  4242.000001: io_page_fault: IOMMU:nvme 0000:01:00.0 iova=0x00000000fff00000 flags=0x0001", width: 7),
        FlagsCase(line: "          <idle>-0     [001]  4242.000001: io_page_fault: IOMMU:nvme 0000:01:00.0 iova=0x00000000fff00000 flags=0x0001", width: nil),
        FlagsCase(line: "          <idle>-0     (-------) [001] d.h1.  4242.000001: io_page_fault: IOMMU:nvme 0000:01:00.0 iova=0x00000000fff00000 flags=0x0001", width: 5),
    ]

    @Test(arguments: flagCases) func prefixWithAnyFlagsColumn(_ sample: FlagsCase) throws {
        let event = try onlyEvent(in: sample.line)
        #expect(FtracePrefix.parse(Array(sample.line.utf8), from: 0)?.flagsWidth == sample.width)
        #expect(event.provenance.task == "<idle>")
        #expect(event.provenance.pid == 0)
        #expect(event.provenance.cpu == 1)
        #expect(event.provenance.timestampNanoseconds == 4_242_000_001_000)
        #expect(event.kind == .fault)
        #expect(event.naming == "io_page_fault")
        #expect(event.device == "0000:01:00.0")
        #expect(event.address == 0xfff0_0000)
        #expect(event.isWrite == true)
    }

    /// 6.12's naming, hex without 0x, the attributes decoded.
    @Test func dmaMapPage() throws {
        let event = try onlyEvent(in: "    kworker/u16:3-187     [002] ..... 1023.456789: dma_map_page: 0000:02:00.0 dir=TO_DEVICE dma_addr=ffffd000 size=1500 phys_addr=10a3c4002 attrs=SKIP_CPU_SYNC|NO_WARN")
        #expect(event.kind == .map)
        #expect(event.naming == "dma_map_page")
        #expect(event.provenance.task == "kworker/u16:3")
        #expect(event.provenance.pid == 187)
        #expect(event.device == "0000:02:00.0")
        #expect(event.address == 0xffff_d000)
        #expect(event.phys == 0x1_0a3c_4002)
        #expect(event.sizeBytes == 1500)
        #expect(event.direction == .toDevice)
        #expect(event.attributes == [.skipCPUSync, .noWarn])
    }

    /// The later naming (dma_map_phys / dma_unmap_phys) parses the same way.
    @Test func dmaUnmapPhys() throws {
        let event = try onlyEvent(in: "    kworker/u16:3-187     [002] ..... 1023.456999: dma_unmap_phys: 0000:02:00.0 dir=FROM_DEVICE dma_addr=ffffd000 size=2048 attrs=")
        #expect(event.kind == .unmap)
        #expect(event.naming == "dma_unmap_phys")
        #expect(event.direction == .fromDevice)
        #expect(event.attributes == [])
        #expect(event.phys == nil)
    }

    /// The spec's real 6.12.35 dma_alloc line: no direction, no physical address.
    @Test func dmaAlloc() throws {
        let event = try onlyEvent(in: "   modprobe-512   [007] ..... 12.000001: dma_alloc: 0000:c2:00.0 dma_addr=fe980000 size=524288 virt_addr=00000000b2c4a1f3 flags=GFP_KERNEL attrs=")
        #expect(event.kind == .map)
        #expect(event.address == 0xfe98_0000)
        #expect(event.sizeBytes == 524_288)
        #expect(event.direction == nil)
        #expect(event.phys == nil)
    }

    @Test func dmaMapScatterGather() throws {
        let event = try onlyEvent(in: "   fio-900 [003] ..... 77.000001: dma_map_sg: 0000:03:00.0 dir=FROM_DEVICE nents=2/2 ents=1/1 dma_addrs={0xfffe0000} sizes={0x2000} phys_addrs={0x81000000,0x82000000} attrs=")
        #expect(event.kind == .map)
        #expect(event.segments == [DMASegment(address: 0xfffe_0000, length: 0x2000)])
        #expect(event.physList == [0x8100_0000, 0x8200_0000])
        #expect(event.sizeBytes == 0x2000)
    }

    @Test func dmaSyncSingle() throws {
        let event = try onlyEvent(in: "   irq/42-eth0-300 [000] d..1. 88.000002: dma_sync_single_for_cpu: 0000:03:00.0 dir=FROM_DEVICE dma_addr=fffe0800 size=64")
        #expect(event.kind == .syncForCPU)
        #expect(event.provenance.task == "irq/42-eth0")
        #expect(event.provenance.pid == 300)
        #expect(event.address == 0xfffe_0800)
        #expect(event.sizeBytes == 64)
    }

    /// A real line (fixtures/traces/04…): the old iommu:unmap form, pasted without a prefix.
    @Test func iommuUnmapOldFormWithoutPrefix() throws {
        let event = try onlyEvent(in: "  unmap: IOMMU: iova=0x0000000ffff36000 size=4096 unmapped_size=4096")
        #expect(event.kind == .unmap)
        #expect(event.naming == "iommu_unmap_old")
        #expect(event.address == 0xf_fff3_6000)
        #expect(event.sizeBytes == 4096)
        #expect(event.unmappedBytes == 4096)
        #expect(event.provenance.timestampNanoseconds == nil)
    }

    @Test func iommuMapWithProposedDeviceField() throws {
        let event = try onlyEvent(in: "  map: IOMMU: dev=1d84000.ufshc iova=0x0000000fffa88000 paddr=0x00000001063db000 size=4096")
        #expect(event.naming == "iommu_map_dev")
        #expect(event.device == "1d84000.ufshc")
        #expect(event.phys == 0x1_063d_b000)
    }

    @Test func groupAndAttachEvents() throws {
        let events = TraceText.events(in: """
                swapper/0-1       [000] .....     1.000001: add_device_to_group: IOMMU: groupID=5 device=0000:00:14.0
                swapper/0-1       [000] .....     1.000002: attach_device_to_domain: IOMMU: device=0000:00:14.0
            """)
        #expect(events.map(\.kind) == [.groupAdd, .attach])
        #expect(events.first?.groupID == 5)
        #expect(events.allSatisfy { $0.device == "0000:00:14.0" })
    }

    @Test func otherEventsAreSkippedNotMisread() {
        let events = TraceText.events(in: """
                     bash-1234  [002] d..2.  50.000001: sched_switch: prev_comm=bash prev_pid=1234 ==> next_comm=swapper next_pid=0
                     Xorg-900   [001] .....  50.000002: dma_fence_init: driver=i915 timeline=x context=1 seqno=2
                     Xorg-900   [001] .....  50.000003: map: something=1
            """)
        #expect(events.isEmpty)
    }
}
