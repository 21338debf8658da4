import DMASim
import Foundation
import Testing
@testable import TraceImport

/// fixtures/logs: real logs from bug reports, mailing lists and the kernel's own docs,
/// one file per source (its header says where it came from and what it must yield). Each
/// imports with every fault's device, address and access, every dma-debug warning's
/// device and size, and every swiotlb exhaustion as a failed map, exactly as printed; and
/// no line that looks like a DMA or IOMMU report is left not understood.
@Suite struct LogCorpusTests {
    /// What a person reads off one report by hand.
    struct Fact: Equatable, CustomStringConvertible, Sendable {
        enum Kind: String, Sendable { case fault, failedMap = "failed map", dmaDebug = "dma-debug" }
        var kind: Kind
        var device: String?
        var address: UInt64?
        var isWrite: Bool?
        var sizeBytes: UInt64?

        static func fault(_ device: String, _ address: UInt64, write: Bool?) -> Fact {
            Fact(kind: .fault, device: device, address: address, isWrite: write)
        }
        static func failedMap(_ device: String?, _ sizeBytes: UInt64?) -> Fact {
            Fact(kind: .failedMap, device: device, sizeBytes: sizeBytes)
        }
        static func dmaDebug(_ device: String?, address: UInt64? = nil, size: UInt64?) -> Fact {
            Fact(kind: .dmaDebug, device: device, address: address, sizeBytes: size)
        }

        init(kind: Kind, device: String?, address: UInt64? = nil, isWrite: Bool? = nil, sizeBytes: UInt64? = nil) {
            self.kind = kind; self.device = device; self.address = address; self.isWrite = isWrite; self.sizeBytes = sizeBytes
        }

        init?(_ event: ParsedEvent) {
            switch event.kind {
            case .fault: self.init(kind: .fault, device: event.device, address: event.address, isWrite: event.isWrite)
            case .mapFailed: self.init(kind: .failedMap, device: event.device, sizeBytes: event.sizeBytes)
            case .debugReport: self.init(kind: .dmaDebug, device: event.device, address: event.address, sizeBytes: event.sizeBytes)
            default: return nil
            }
        }

        var description: String {
            "\(kind.rawValue) \(device ?? "-")" + (address.map { " @0x" + String($0, radix: 16) } ?? "")
                + (isWrite.map { $0 ? " write" : " read" } ?? "") + (sizeBytes.map { " \($0) B" } ?? "")
        }
    }

    struct Sample: CustomStringConvertible, Sendable {
        let file: String
        let facts: [Fact]
        var description: String { file }
    }

    static func repeated(_ addresses: [UInt64], _ make: (UInt64) -> Fact) -> [Fact] { addresses.map(make) }

    static let samples: [Sample] = [
        Sample(file: "amdvi-split-event-logged-syslog-ubuntu-forums-2017.txt",
               facts: repeated([0x1_0000_f3c0, 0x1_0000_f400, 0x1_0000_f440, 0x1_0000_f480, 0x1_0000_f4c0, 0x1_0000_f500, 0x1_0000_f540,
                                0x1_0000_f580, 0x1_0000_f5c0, 0x1_0000_f600, 0x1_0000_f640, 0x1_0000_f680, 0x1_0000_f6c0, 0x1_0000_f700]) {
                   .fault("02:00.0", $0, write: true)
               }),
        Sample(file: "amdvi-split-kernel-tag-pcengines-coreboot-285.txt",
               facts: repeated([0xff61_01b0, 0xff61_01c0, 0xff61_0200, 0xff61_0240, 0xff61_0280, 0xff61_02c0]) { .fault("05:00.0", $0, write: true) }),
        Sample(file: "amdvi-wrapped-syslog-rhel7-iommu-list-2020.txt", facts: [
            .fault("42:00.0", 0xffff_fffd_f803_0000, write: false), .fault("c8:02.1", 0xffff_fffd_f806_0000, write: false),
            .fault("42:00.0", 0xffff_fffd_f802_0000, write: false), .fault("c8:02.0", 0xffff_fffd_f802_0000, write: false),
            .fault("01:00.0", 0xffff_fffd_f804_0000, write: false), .fault("c8:03.0", 0xffff_fffd_f801_0000, write: false),
        ]),
        Sample(file: "dma-debug-3.19-cx23885-wrapped-format-flowed.txt", facts: [
            .fault("0a:00.0", 0x637_c000, write: false),
            .dmaDebug("0000:0a:00.0", address: 0xd2_7000, size: 504),
        ]),
        Sample(file: "dma-debug-3.14-quoted-printable-0day.txt",
               facts: [.dmaDebug(nil, address: 0x1_a000, size: 256), .dmaDebug(nil, address: 0x1_a000, size: 256)]),
        Sample(file: "dma-debug-doc-example-dma-api-rst.txt", facts: [.dmaDebug("0000:00:08.0", address: 0x6404_44be, size: 66)]),
        Sample(file: "dma-debug-3.0-imx-fec-cut-paste.txt", facts: [.dmaDebug("eth0", address: 0x443d_7040, size: 2048)]),
        Sample(file: "dma-debug-5.11-ftgmac100-different-size.txt", facts: [.dmaDebug("1e670000.ftgmac", address: 0x81f7_f8c2, size: 42)]),
        // The same log as journalctl -o json / json-pretty / verbose and dmesg --json (StructuredLogLines).
        Sample(file: "formats/journalctl-json-dma-debug-ftgmac100.txt", facts: [.dmaDebug("1e670000.ftgmac", address: 0x81f7_f8c2, size: 42)]),
        Sample(file: "formats/journalctl-json-pretty-dma-debug-ftgmac100.txt", facts: [.dmaDebug("1e670000.ftgmac", address: 0x81f7_f8c2, size: 42)]),
        Sample(file: "formats/journalctl-verbose-dma-debug-ftgmac100.txt", facts: [.dmaDebug("1e670000.ftgmac", address: 0x81f7_f8c2, size: 42)]),
        Sample(file: "formats/dmesg-json-dma-debug-ftgmac100.txt", facts: [.dmaDebug("1e670000.ftgmac", address: 0x81f7_f8c2, size: 42)]),
        Sample(file: "formats/dma-debug-7.1-mmio-map-of-ram.txt", facts: [.dmaDebug("0000:03:00.0", size: nil)]),
        Sample(file: "dma-debug-4.0-maps-from-stack-dwc-otg.txt", facts: [.dmaDebug("bcm2708_usb", size: nil)]),
        Sample(file: "swiotlb-full-4.15-amdgpu-coherent-allocation-failed.txt",
               facts: Array(repeating: .failedMap("0000:07:00.0", 2_097_152), count: 4)),
        Sample(file: "swiotlb-full-5.10-xhci-dmar-bounce-map-failed.txt", facts: Array(repeating: .failedMap("0000:0a:00.0", 8192), count: 9)),
        Sample(file: "swiotlb-full-5.6-uhci-wrapped-bugzilla-207147.txt", facts: [
            .failedMap("0000:01:00.4", 8), .failedMap("0000:01:00.4", 8), .failedMap("0000:01:00.4", 8), .failedMap("0000:00:1d.0", 8),
        ]),
        Sample(file: "swiotlb-out-of-sw-iommu-space-ipu3.txt", facts: [.failedMap("0000:00:05.0", 4096), .failedMap("0000:00:05.0", 4096)]),
        Sample(file: "swiotlb-full-6.8-nvme-64k-pages-marked.txt", facts: [.failedMap("0000:00:01.0", 327_680)]),
        Sample(file: "dmar-kernel-tag-no-host-sof-test.txt",
               facts: repeated([0x70ad_5000, 0x7c34_6000, 0x70a2_8000, 0x70e6_7000]) { .fault("00:02.0", $0, write: false) }),
        Sample(file: "dmar-kernel-tag-only-wrapped-apple-spi.txt", facts: Array(repeating: .fault("00:1e.3", 0xffff_a000, write: false), count: 3)),
        Sample(file: "dmar-4.x-fault-addr-0-onl.txt", facts: Array(repeating: .fault("00:12.0", 0, write: true), count: 3)),
        Sample(file: "dmar-5.x-pasid-gvt-d-write-and-read.txt", facts: [
            // The full name 0000:00:02.0 appears only after the faults: the segment is not guessed.
            .fault("00:02.0", 0, write: true), .fault("00:02.0", 0xb400_0000, write: false), .fault("00:02.0", 0xb403_d000, write: false),
        ]),
        Sample(file: "dmar-5.15-pasid-scalable-mode-dsa.txt", facts: [.fault("0000:6a:01.0", 0x7fe0_c994_3000, write: false)]),
        Sample(file: "arm-smmu-6.12-context-fault-mt76-ls1028.txt", facts: [.fault("5000000.iommu/cb10", 0xff3c_f000, write: false)]),
        Sample(file: "arm-smmu-6.x-decode-lines-sm7150.txt",
               facts: repeated([0x9c4b_9000, 0x9c4b_9d00, 0x9c4b_a700, 0x9c4b_b000]) { .fault("15000000.iommu/cb7", $0, write: false) }),
        Sample(file: "arm-smmu-qcom-4.19-fsynr0-register-dump.txt", facts: [.fault("15000000.apps-smmu/cb0", 0x1000, write: false)]),
        // One instance of every printk format, 3.x to 7.3 (the files say which versions print which).
        Sample(file: "formats/dmar-fault-formats.txt", facts: [
            .fault("00:02.0", 0x6_df08_4000, write: true), .fault("00:02.0", 0xfff8_e000, write: false), .fault("00:02.0", 0x6_c000, write: false),
            .fault("00:16.7", 0x9cdf_f000, write: false), .fault("00:02.0", 0x70ad_5000, write: false), .fault("00:02.0", 0x7fe0_c994_3000, write: true),
            .fault("0b:00.0", 0x1_187a_9000, write: false), .fault("0000:00:02.0", 0xfff_f000, write: true),
        ]),
        Sample(file: "formats/amdvi-event-formats.txt", facts: [
            .fault("00:14.2", 0x7fda_0000, write: false), .fault("05:00.0", 0xff61_01b0, write: true), .fault("0000:28:00.0", 0x7ff_fff0_0000, write: false),
            .fault("0a:00.0", 0x637_c000, write: false), .fault("0000:03:00.0", 0xffff_f000, write: true),
        ]),
        Sample(file: "formats/arm-smmu-fault-formats.txt", facts: [
            .fault("2b400000.smmu/cb0", 0x1000, write: false), .fault("2b400000.smmu/cb1", 0x8000_1000, write: true),
            .fault("15000000.iommu/cb6", 0xd_6550_4710, write: false), .fault("15000000.iommu/cb6", 0xd_6550_4710, write: true),
            .fault("15000000.apps-smmu/cb0", 0x1000, write: false),
        ]),
        Sample(file: "formats/dma-debug-formats.txt", facts: [
            .dmaDebug("0000:00:19.0", address: 0x1000, size: 4096), .dmaDebug("0000:00:19.0", address: UInt64.max, size: nil),  // DMA_MAPPING_ERROR
            .dmaDebug("0000:00:19.0", address: 0x2000, size: 2048), .dmaDebug("0000:00:19.0", address: 0x3000, size: 66),
            .dmaDebug("0000:00:19.0", address: 0x4000, size: 512), .dmaDebug("0000:00:19.0", size: nil),
            .dmaDebug("0000:00:19.0", address: 0x5000, size: 1500), .dmaDebug("0000:00:19.0", address: 0x6000, size: 1500),
            .dmaDebug("0000:00:19.0", address: 0x7000, size: 64), .dmaDebug("0000:00:19.0", address: 0x8000, size: 8192),
            .dmaDebug("0000:00:19.0", address: 0x9000, size: 4096), .dmaDebug("0000:00:19.0", address: 0xa000, size: 4096),
            .dmaDebug("0000:00:19.0", address: 0xb000, size: 4096), .dmaDebug("0000:00:19.0", size: nil),
            .dmaDebug("0000:00:19.0", size: nil), .dmaDebug("0000:00:19.0", size: nil),
            .dmaDebug("0000:00:19.0", size: 1024), .dmaDebug("0000:00:19.0", size: 1024), .dmaDebug("0000:00:19.0", size: 65536),
            .dmaDebug("0000:00:19.0", size: nil), .dmaDebug("0000:00:19.0", address: 0xb000, size: 4096),
            .dmaDebug("0000:00:19.0", address: 0xc000, size: 4096), .dmaDebug("0000:00:19.0", address: 0xd000, size: 128),
        ]),
        Sample(file: "virtio-iommu-7.3-kernel-lab-fault-after-destroy.txt",
               facts: stride(from: UInt64(0xffff000), through: 0xffff024, by: 4).map { .fault("0000:00:03.0", $0, write: nil) }),
        Sample(file: "rockchip-iommu-6.11-page-fault-rk3288.txt", facts: [.fault("ff940300.iommu", 0x7f4b_da00, write: false)]),
        Sample(file: "formats/other-iommu-fault-formats.txt", facts: [
            .fault("00:01.0", 0xffff_f000, write: true), .fault("ff940300.iommu", 0x7f4b_da00, write: false),
            .fault("10205000.iommu", 0xfc00_0000, write: true), .fault("10205000.iommu", 0xfc00_1000, write: nil),
            .fault("e67b0000.mmu", 0x1000, write: nil), .fault("382f80000.iommu/stream2", 0x2000, write: true),
        ]),
        Sample(file: "formats/swiotlb-failure-formats.txt", facts: [
            .failedMap("0000:00:05.0", 4096), .failedMap("0000:00:05.0", 8192), .failedMap("0000:03:00.0", 65536), .failedMap("0000:03:00.0", 65536),
            .failedMap("0000:00:02.0", 4096), .failedMap("0000:00:02.0", 4096), .failedMap("0000:07:00.0", 2_097_152),
            .failedMap("0000:0a:00.0", 0x16ea), .failedMap("0000:01:00.0", 4096), .failedMap("0000:01:00.0", 4096),
        ]),
        Sample(file: "formats/dma-debug-cacheline-eexist-first.txt", facts: [.dmaDebug("0000:00:1d.0", size: nil)]),
        Sample(file: "formats/dma-direct-overflow-without-pool.txt", facts: [.failedMap("0000:01:00.0", 4096)]),
        Sample(file: "formats/swiotlb-addr-overflow-pool-above-4g.txt", facts: [.failedMap("0000:02:00.0", 8192)]),
        Sample(file: "formats/swiotlb-pool-torn-down-then-overflow.txt", facts: [.failedMap("0000:03:00.0", 4096)]),
        Sample(file: "formats/swiotlb-pool-mapped-then-full.txt", facts: [.failedMap("0000:00:14.0", 65536)]),
        Sample(file: "dma-debug-7.1-sg-segment-nvidia-terminal-wrapped.txt", facts: [.dmaDebug("0000:00:09.0", size: 528_384)]),
        Sample(file: "dma-debug-6.19-exceeded-7-overlapping-cache-clean-mlx5.txt", facts: [.dmaDebug(nil, size: nil)]),
        Sample(file: "dma-debug-6.19-eexist-quoted-mapped-at-virtio-vsock.txt", facts: [.dmaDebug("0000:08:00.0", size: nil)]),
        Sample(file: "dma-debug-6.18-sync-not-allocated-quoted-rockchip-sfc.txt",
               facts: [.dmaDebug("fe300000.spi", address: 0xcf7_0000, size: 288)]),
        Sample(file: "dma-debug-6.19-eexist-backslash-wrapped-udmabuf-amdgpu.txt", facts: [.dmaDebug("0000:03:00.0", size: nil)]),
        Sample(file: "formats/dmesg-util-linux-caller-and-web-copy-nbsp.txt",
               facts: [.dmaDebug("0000:08:00.0", size: nil), .fault("00:02.0", 0x70ad_5000, write: false)]),
        Sample(file: "formats/dmesg-color-always-dma-debug-and-dmar.txt", facts: [
            .dmaDebug("0000:01:00.0", address: 0xfffe_0000, size: 4096), .fault("0000:01:00.0", 0xfffd_1000, write: true),
        ]),
    ]

    static func path(_ file: String) -> String {
        ImportFixture.packageRoot.appendingPathComponent("fixtures/logs/\(file)").path
    }

    @Test func everyCorpusFileHasItsFacts() throws {
        let top = try FileManager.default.contentsOfDirectory(atPath: Self.path(""))
        let formats = try FileManager.default.contentsOfDirectory(atPath: Self.path("formats")).map { "formats/" + $0 }
        let files = (top + formats).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(files == Self.samples.map(\.file).sorted())
    }

    /// The events, in file order, are exactly the reports a person reads.
    @Test(arguments: samples) func importsWhatAPersonReads(_ sample: Sample) throws {
        let text = try String(contentsOfFile: Self.path(sample.file), encoding: .utf8)
        let facts = TraceText.events(in: text).compactMap(Fact.init)
        #expect(facts == sample.facts)
    }

    /// Nothing in the file looks like a DMA or IOMMU report and goes unread.
    @Test(arguments: samples) func leavesNothingNotUnderstood(_ sample: Sample) throws {
        let (_, summary) = try ImportFixture.importing([Self.path(sample.file)])
        let totals = try #require(summary.sources.first).totals
        let notUnderstood = totals.skipExamples.filter { SkipReason(text: $0.reason).isNotUnderstood }
        #expect(notUnderstood.isEmpty, "\(notUnderstood)")
    }

    /// 6.19's WARN headline (kernel/panic.c `__warn`: `WARNING: %s:%d at %pS, CPU#%d: %s/%d`)
    /// names the CPU, the task and its PID, the PID after the last `/` of a task name
    /// that has its own (`swapper/0/1`); quoted in a mail, the `Modules linked in:` line
    /// after it is a record of its own, not the rest of a wrapped headline. A console's
    /// caller id (`[     T1]`, util-linux's spaced form) gives the PID when the WARN does not.
    @Test(arguments: [
        ("dma-debug-7.1-sg-segment-nvidia-terminal-wrapped.txt", ["13", "18", "4720", "nv_open_q"]),
        ("dma-debug-6.19-eexist-quoted-mapped-at-virtio-vsock.txt", ["11", "3", "1", "swapper/0"]),
        ("dma-debug-6.18-sync-not-allocated-quoted-rockchip-sfc.txt", ["13", "2", "151", "systemd-udevd"]),
        ("dma-debug-6.19-eexist-backslash-wrapped-udmabuf-amdgpu.txt", ["10", "NULL", "NULL", "NULL"]),
        ("formats/dmesg-util-linux-caller-and-web-copy-nbsp.txt", ["7", "3", "1", "swapper/0"]),
    ])
    func theWarnHeadlineGivesCPUTaskAndPID(_ file: String, _ expected: [String]) throws {
        let (journal, _) = try ImportFixture.importing([Self.path(file)])
        let rows = try ImportFixture.rows(journal, "SELECT l.line, l.cpu, l.pid, l.task FROM imported_log l WHERE l.kernel_naming = 'dma_debug'")
        #expect(rows == [expected])
    }

    /// A swiotlb exhaustion is a failed map, queryable like any other op: status
    /// mapping-error, its size, its device; the bounce-map line of the same call adds the
    /// physical address and direction it printed.
    @Test func swiotlbExhaustionIsAFailedMapInTheJournal() throws {
        let (journal, _) = try ImportFixture.importing([Self.path("swiotlb-full-5.10-xhci-dmar-bounce-map-failed.txt")])
        let rows = try ImportFixture.rows(journal, """
            SELECT l.line, l.kernel_naming, l.kind, l.device, l.length, l.status, printf('0x%x', o.phys), o.dir
            FROM imported_log l JOIN ops o USING (seq) ORDER BY seq LIMIT 2
            """)
        #expect(rows == [
            ["7", "swiotlb_buffer_full", "map", "0000:0a:00.0", "8192", "mapping-error", "0x1411c0000", "1"],
            ["10", "swiotlb_buffer_full", "map", "0000:0a:00.0", "8192", "mapping-error", "0x10aabc000", "1"],
        ])
        let failed = try ImportFixture.rows(journal, "SELECT count(*), sum(length) FROM imported_log WHERE status = 'mapping-error'")
        #expect(failed == [["9", "73728"]])
    }

    /// A dma-debug warning is the call it fired in, on its device, with its size and the
    /// CPU and PID of the WARN before it (the 3.x order).
    @Test func dmaDebugWarningCarriesItsWarn() throws {
        let (journal, _) = try ImportFixture.importing([Self.path("dma-debug-3.19-cx23885-wrapped-format-flowed.txt")])
        let rows = try ImportFixture.rows(journal, "SELECT l.line, i.line_count, l.kind, l.device, printf('0x%x', l.address), l.length, l.cpu, l.pid, l.findings FROM imported_log l JOIN imported_ops i USING (seq)")
        #expect(rows == [
            ["5", "2", "dev-read", "0a:00.0", "0x637c000", "NULL", "NULL", "NULL", "NULL"],
            ["15", "2", "unmap", "0000:0a:00.0", "0xd27000", "504", "1", "6946", "unmap-not-mapped"],
        ])
    }
}
