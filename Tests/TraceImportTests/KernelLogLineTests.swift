import DMASim
import Testing
@testable import TraceImport

/// dmesg and syslog IOMMU fault reports and dma-debug warnings, one line (or one report)
/// each, most of them real lines from fixtures/traces.
@Suite struct KernelLogLineTests {
    /// fixtures/traces/10…: syslog, 5.x report (`PASID %x`, reason in decimal).
    @Test func intelDMARInSyslog() throws {
        let event = try onlyEvent(in: "May 30 17:35:46 localhost kernel: [  278.999485] DMAR: [DMA Read] Request device [00:16.7] PASID ffffffff fault addr 9cdff000 [fault reason 02] Present bit in context entry is clear")
        #expect(event.provenance.format == .syslog)
        #expect(event.provenance.wallClock == "May 30 17:35:46")
        #expect(event.provenance.timestampNanoseconds == 278_999_485_000)
        #expect(event.kind == .fault)
        #expect(event.naming == "dmar_fault")
        #expect(event.device == "00:16.7")
        #expect(event.address == 0x9cdf_f000)
        #expect(event.isWrite == false)
        #expect(event.pasid == 0xffff_ffff)
        #expect(event.reason == "fault reason 0x02: Present bit in context entry is clear")
        #expect(event.faultKind == .notPresent)
    }

    /// fixtures/traces/24…: the NO_PASID form, wrapped by the mail client; hex reason 6
    /// ("PTE Read access is not set") leaves the kind to the importer.
    @Test func intelDMARNoPASIDWrapped() throws {
        let event = try onlyEvent(in: """
            [ 3762.001609] DMAR: [DMA Read NO_PASID] Request device [0b:00.0]
            fault addr 0x1187a9000 [fault reason 0x06] PTE Read access is not set
            """)
        #expect(event.naming == "dmar_fault_no_pasid")
        #expect(event.device == "0b:00.0")
        #expect(event.address == 0x1_187a_9000)
        #expect(event.pasid == nil)
        #expect(event.reason == "fault reason 0x06: PTE Read access is not set")
        #expect(event.faultKind == nil)
        #expect(event.provenance.line == 1)
        #expect(event.provenance.lineCount == 2)
    }

    @Test func intelDMARWithPASID() throws {
        let event = try onlyEvent(in: "[   12.5] DMAR: [DMA Write PASID 0x2] Request device [00:02.0] fault addr 0xdead000 [fault reason 0x5a] SM: Present bit in PASID table entry is clear")
        #expect(event.naming == "dmar_fault_pasid")
        #expect(event.pasid == 2)
        #expect(event.isWrite == true)
        #expect(event.address == 0xdea_d000)
    }

    /// Before 5.x the reason was printed on a line of its own.
    @Test func intelDMARLegacyTwoLines() throws {
        let event = try onlyEvent(in: """
            DMAR:[DMA Write] Request device [00:02.0] fault addr 6df084000
            DMAR:[fault reason 05] PTE Write access is not set
            """)
        #expect(event.naming == "dmar_fault_legacy")
        #expect(event.address == 0x6_df08_4000)
        #expect(event.reason == "fault reason 0x05: PTE Write access is not set")
        #expect(event.provenance.lineCount == 2)
    }

    /// 3.x kernels: lower-case `dmar:` before the report, the reason on its own line.
    @Test func intelDMAROnThreeDotX() throws {
        let event = try onlyEvent(in: """
            [ 2.1] dmar: DRHD: handling fault status reg 2
            [ 2.1] dmar: DMAR:[DMA Read] Request device [00:02.0] fault addr fff8e000 
            [ 2.1] DMAR:[fault reason 06] PTE Read access is not set
            """)
        #expect(event.naming == "dmar_fault_legacy")
        #expect(event.address == 0xfff8_e000)
        #expect(event.reason == "fault reason 0x06: PTE Read access is not set")
    }

    /// A short `BB:DD.F` resolves to the one full name seen with it.
    @Test func intelDMARDeviceTakesTheFullNameSeenBefore() throws {
        let events = TraceText.events(in: """
            xhci_hcd 0000:00:14.0: WARN Cannot submit Set TR Deq Ptr
            DMAR: [DMA Write] Request device [00:14.0] PASID ffffffff fault addr ffe20000 [fault reason 05] PTE Write access is not set
            """)
        #expect(events.map(\.device) == ["0000:00:14.0"])
    }

    /// fixtures/traces/13…: dmesg -T, quoted twice.
    @Test func amdViIOPageFault() throws {
        let event = try onlyEvent(in: "> > [Thu Jan  4 23:12:54 2024] ahci 0000:28:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0035 address=0x7fffff00000 flags=0x0000]")
        #expect(event.provenance.wallClock == "2024-01-04T23:12:54")
        #expect(event.provenance.timestampNanoseconds == nil)
        #expect(event.naming == "amd_iommu_io_page_fault")
        #expect(event.device == "0000:28:00.0")
        #expect(event.address == 0x7ff_fff0_0000)
        #expect(event.isWrite == false)
        #expect(event.faultKind == .notPresent)
        #expect(event.reason == "domain 0x35")
    }

    @Test func amdViWithDeviceField() throws {
        let event = try onlyEvent(in: "[  262.09] iommu ivhd0: AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:03:00.0 domain=0x0010 address=0x64a7f000 flags=0x0030]")
        #expect(event.device == "0000:03:00.0")
        #expect(event.isWrite == true)
        #expect(event.faultKind == .permission)
    }

    /// fixtures/traces/16…: quoted, the fault line wrapped, decode lines as context.
    @Test func armSMMUContextFault() throws {
        let event = try onlyEvent(in: """
            > [  157.563136] arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402
            > ,iova=0xd65504710, fsynr=0x100011, cbfrsynra=0x0, cb=6
            > [  157.574842] arm-smmu 15000000.iommu: FSR    = 00000402 [Format=2 TF],
            > SID=0x0
            """)
        #expect(event.naming == "arm_smmu_context_fault")
        #expect(event.device == "15000000.iommu/cb6")
        #expect(event.address == 0xd_6550_4710)
        #expect(event.isWrite == true)
        #expect(event.faultKind == .notPresent)
        #expect(event.provenance.timestampNanoseconds == 157_563_136_000)
    }

    /// fixtures/traces/18…: the event words and the decoded lines make one event.
    @Test func armSMMUv3Event() throws {
        let event = try onlyEvent(in: """
            [   70.355743] arm-smmu-v3 arm-smmu-v3.5.auto: event 0x10 received:
            [   70.361893] arm-smmu-v3 arm-smmu-v3.5.auto:  0x0002060000000010
            [   70.367948] arm-smmu-v3 arm-smmu-v3.5.auto:  0x0000020000000000
            [   70.374002] arm-smmu-v3 arm-smmu-v3.5.auto:  0x00000000ff9bc000
            [   70.380055] arm-smmu-v3 arm-smmu-v3.5.auto:  0x0000000000000000
            [   70.386109] arm-smmu-v3 arm-smmu-v3.5.auto: event: F_TRANSLATION client: 0001:06:00.0 sid: 0x20600 ssid: 0x0 iova: 0xff9bc000 ipa: 0x0
            [   70.398531] arm-smmu-v3 arm-smmu-v3.5.auto: unpriv data write s1 "Input address caused fault" stag: 0x0
            """)
        #expect(event.naming == "arm_smmu_v3_event")
        #expect(event.device == "0001:06:00.0")
        #expect(event.address == 0xff9b_c000)
        #expect(event.isWrite == true)
        #expect(event.faultKind == .notPresent)
        #expect(event.reason == "F_TRANSLATION: Input address caused fault")
        #expect(event.provenance.lineCount == 7)
    }

    /// Older kernels print only the words: the stream ID, direction and address come from them.
    @Test func armSMMUv3EventWordsOnly() throws {
        let event = try onlyEvent(in: """
            [    9.1] arm-smmu-v3 arm-smmu-v3.0.auto: event 0x13 received:
            [    9.1] arm-smmu-v3 arm-smmu-v3.0.auto: 	0x0000010000000013
            [    9.1] arm-smmu-v3 arm-smmu-v3.0.auto: 	0x0000000800000000
            [    9.1] arm-smmu-v3 arm-smmu-v3.0.auto: 	0x0000000012345000
            [    9.1] arm-smmu-v3 arm-smmu-v3.0.auto: 	0x0000000000000000
            """)
        #expect(event.device == "arm-smmu-v3.0.auto/sid0x100")
        #expect(event.address == 0x1234_5000)
        #expect(event.isWrite == false)
        #expect(event.faultKind == .permission)
    }

    /// A real report (LKML, 5.3-rc1 on HiSilicon) whose first word the mail split in two halves.
    @Test func armSMMUv3WordSplitByTheMail() throws {
        let event = try onlyEvent(in: """
            > [  196.747107] arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:
            > [  196.747109] arm-smmu-v3 arm-smmu-v3.0.auto: 0x00000180 00000010
            > [  196.747110] arm-smmu-v3 arm-smmu-v3.0.auto: 0x0000020100000000
            > [  196.747111] arm-smmu-v3 arm-smmu-v3.0.auto: 0x00000000ffffe040
            > [  196.747113] arm-smmu-v3 arm-smmu-v3.0.auto: 0x00000000ffffe000
            """)
        #expect(event.device == "arm-smmu-v3.0.auto/sid0x180")
        #expect(event.address == 0xffff_e040)
        #expect(event.isWrite == true)   // word 1 bit 35 (RnW) clear: the MSI doorbell write
        #expect(event.faultKind == .notPresent)
    }

    /// A bad stream ID is no fault with an address: its five lines are skipped for that reason.
    @Test func armSMMUv3EventsWithoutAddressAreSkipped() throws {
        let (journal, summary) = try ImportFixture.importing(text: """
               arm-smmu-v3 arm-smmu-v3.0.auto: event 0x02 received:
               arm-smmu-v3 arm-smmu-v3.0.auto: 0x0000090000000002
               arm-smmu-v3 arm-smmu-v3.0.auto: 0x0000000000000000
               arm-smmu-v3 arm-smmu-v3.0.auto: 0x0000000000000000
               arm-smmu-v3 arm-smmu-v3.0.auto: 0x0000000000000000
               arm-smmu-v3 arm-smmu-v3.0.auto: event: C_BAD_STREAMID client: (unassigned sid) sid: 0x900 ssid: 0x0
            DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr 0x1000 [fault reason 0x01] Present bit in root entry is clear
            """)
        #expect(summary.eventCount == 1)
        #expect(try ImportFixture.rows(journal, "SELECT reason, count FROM import_skip_reasons") == [["IOMMU event without a fault address", "6"]])
    }

    /// fixtures/traces/20…: quoted without a space, the WARN's CPU and PID taken from the next line.
    @Test func dmaDebugDifferentSize() throws {
        let event = try onlyEvent(in: """
            >[  215.351612] DMA-API: atlantic 0000:4b:00.0: device driver frees DMA memory with different size [device address=0x00000000fbdd0000] [map size=34816 bytes] [unmap size=32768 bytes]
            >[  215.351635] WARNING: CPU: 33 PID: 10759 at kernel/dma/debug.c:988 check_unmap+0xa6f/0x2360
            """)
        #expect(event.kind == .debugReport(.unmap))
        #expect(event.misuse == .unmapSizeMismatch)
        #expect(event.device == "0000:4b:00.0")
        #expect(event.address == 0xfbdd_0000)
        #expect(event.sizeBytes == 32768)
        #expect(event.provenance.cpu == 33)
        #expect(event.provenance.pid == 10759)
    }

    @Test func dmaDebugOlderPrefixOrder() throws {
        let event = try onlyEvent(in: "[ 5.1] e1000e 0000:00:19.0: DMA-API: device driver frees DMA memory with different direction [device address=0x0000000012345000] [size=2048 bytes] [mapped with DMA_FROM_DEVICE] [unmapped with DMA_TO_DEVICE]")
        #expect(event.misuse == .unmapDirectionMismatch)
        #expect(event.device == "0000:00:19.0")
        #expect(event.direction == .toDevice)
        #expect(event.sizeBytes == 2048)
    }

    /// fixtures/traces/22…: the dump lines are mappings; EEXIST names no device.
    @Test func dmaDebugDumpAndCachelineOverlap() throws {
        let events = TraceText.events(in: """
            > [  245.927020] fsl_dpaa2_eth dpni.3: scather-gather idx 0 P=20a7320000 N=20a7320 D=20a7320000 L=30 DMA_BIDIRECTIONAL dma map error check not applicable
            > [  245.927062] DMA-API: cacheline tracking EEXIST, overlapping mappings aren't supported
            """)
        #expect(events.count == 2)
        let dump = try #require(events.first)
        #expect(dump.kind == .map)
        #expect(dump.device == "dpni.3")
        #expect(dump.phys == 0x20_a732_0000)
        #expect(dump.address == 0x20_a732_0000)
        #expect(dump.sizeBytes == 0x30)
        #expect(dump.direction == .bidirectional)
        let warning = try #require(events.last)
        #expect(warning.kind == .debugReport(.map))
        #expect(warning.misuse == .overlappingCachelineMapping)
        #expect(warning.device == nil)
    }

    /// fixtures/traces/06…: iommu.c's dynamic-debug lines; the per-page-size lines are context.
    @Test func iommuDebugMapLines() throws {
        let event = try onlyEvent(in: """
            [ 1189.113527] iommu: map: iova 0x6e200000 pa 0x00000004f4800000 size 0x400000
            [ 1189.113527] iommu: mapping: iova 0x6e200000 pa 0x00000004f4800000 pgsize 0x200000 count 2
            """)
        #expect(event.naming == "iommu_map_pr_debug")
        #expect(event.address == 0x6e20_0000)
        #expect(event.phys == 0x4_f480_0000)
        #expect(event.sizeBytes == 0x40_0000)
    }

    struct PrefixCase: Sendable, CustomStringConvertible {
        let line: String
        let format: SourceFormat
        let nanoseconds: UInt64?
        let wallClock: String?
        let device: String
        var description: String { line }
    }

    /// Kernel log prefixes from other tools and setups, on one kind of report.
    static let prefixCases: [PrefixCase] = [
        PrefixCase(line: "[  278.999480] myhost kernel: DMAR: [DMA Read NO_PASID] Request device [00:16.7] fault addr 0x9cdff000 [fault reason 0x02] Present bit in context entry is clear",
                   format: .dmesg, nanoseconds: 278_999_480_000, wallClock: nil, device: "00:16.7"),
        PrefixCase(line: "kern  :err   : [   12.300000] DMAR: [DMA Read NO_PASID] Request device [00:16.7] fault addr 0x9cdff000 [fault reason 0x02] Present bit in context entry is clear",
                   format: .dmesg, nanoseconds: 12_300_000_000, wallClock: nil, device: "00:16.7"),
        PrefixCase(line: "2024-01-04T23:12:54+0100 myhost kernel: DMAR: [DMA Read NO_PASID] Request device [00:16.7] fault addr 0x9cdff000 [fault reason 0x02] Present bit in context entry is clear",
                   format: .syslog, nanoseconds: nil, wallClock: "2024-01-04T23:12:54+0100", device: "00:16.7"),
        PrefixCase(line: "Jan 04 23:12:54 myhost kernel: DMAR: [DMA Read NO_PASID] Request device [00:16.7] fault addr 0x9cdff000 [fault reason 0x02] Present bit in context entry is clear",
                   format: .syslog, nanoseconds: nil, wallClock: "Jan 04 23:12:54", device: "00:16.7"),
        PrefixCase(line: "[Aug 4 09:48] DMAR: [DMA Read NO_PASID] Request device [00:16.7] fault addr 0x9cdff000 [fault reason 0x02] Present bit in context entry is clear",
                   format: .dmesg, nanoseconds: nil, wallClock: "Aug 4 09:48", device: "00:16.7"),
    ]

    @Test(arguments: prefixCases) func kernelLogPrefixes(_ sample: PrefixCase) throws {
        let event = try onlyEvent(in: sample.line)
        #expect(event.provenance.format == sample.format)
        #expect(event.provenance.timestampNanoseconds == sample.nanoseconds)
        #expect(event.provenance.wallClock == sample.wallClock)
        #expect(event.device == sample.device)
        #expect(event.address == 0x9cdf_f000)
    }

    /// Xen prints the SMMU's context faults with its own prefix.
    @Test func armSMMUContextFaultUnderXen() throws {
        let event = try onlyEvent(in: "(XEN) smmu: /smmu@fd800000: Unhandled context fault: fsr=0x402, iova=0x8424cb148, fsynr=0xb0001, cb=0")
        #expect(event.device == "/smmu@fd800000/cb0")
        #expect(event.address == 0x8_424c_b148)
        #expect(event.isWrite == false)
    }

    @Test func amdViOlderFormWithShortDevice() throws {
        let event = try onlyEvent(in: "AMD-Vi: Event logged [IO_PAGE_FAULT device=0a:00.0 domain=0x001d address=0x000000000637c000 flags=0x0000]")
        #expect(event.device == "0a:00.0")
        #expect(event.address == 0x637_c000)
    }

    @Test func printkCallerAndLogLevel() throws {
        let event = try onlyEvent(in: "<3>[   12.345678][  T123] DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr 0x1000 [fault reason 0x01] Present bit in root entry is clear")
        #expect(event.provenance.pid == 123)
        #expect(event.provenance.timestampNanoseconds == 12_345_678_000)
        #expect(event.faultKind == .notPresent)
    }
}
