import DMASim
import Testing
@testable import TraceImport

/// QEMU's IOMMU trace events (log backend: `PID@SECONDS.MICROS:event args`).
@Suite struct QemuLineTests {
    /// fixtures/traces/24…: wrapped by the mail client.
    @Test func vtdDMARFault() throws {
        let event = try onlyEvent(in: """
            236498@1676271757.075075:vtd_dmar_fault sid 0xb00 fault 6 addr
            0x1187a9000 write 0
            """)
        #expect(event.provenance.format == .qemu)
        #expect(event.provenance.pid == 236_498)
        #expect(event.provenance.wallClock == "2023-02-13T07:02:37.075075Z")
        #expect(event.naming == "vtd_dmar_fault")
        #expect(event.device == "0b:00.0")
        #expect(event.address == 0x1_187a_9000)
        #expect(event.isWrite == false)
        #expect(event.reason == "fault reason 0x06")
    }

    @Test func vtdDMARTranslate() throws {
        let event = try onlyEvent(in: """
            278365@1676297375.587513:vtd_dmar_translate pasid 0xffffffff: dev
            0b:00.00 iova 0x800000000 -> gpa 0x1f2556000 mask 0xfff
            """)
        #expect(event.kind == .access)
        #expect(event.device == "0b:00.0")
        #expect(event.address == 0x8_0000_0000)
        #expect(event.phys == 0x1_f255_6000)
        #expect(event.pasid == 0xffff_ffff)
        #expect(event.isWrite == nil)
    }

    @Test func virtioIOMMUMapUnmapAndFault() throws {
        let events = TraceText.events(in: """
            4242@1700000000.000001:virtio_iommu_attach domain=1 endpoint=8
            4242@1700000000.000002:virtio_iommu_map domain=1 virt_start=0xfffff000 virt_end=0xffffffff phys_start=0x4d3000 flags=3
            4242@1700000000.000003:virtio_iommu_unmap domain=1 virt_start=0xfffff000 virt_end=0xffffffff
            4242@1700000000.000004:virtio_iommu_report_fault FAULT reason=2 flags=2 endpoint=8 address =0xfffff010
            """)
        #expect(events.map(\.kind) == [.attach, .map, .unmap, .fault])
        #expect(events[0].space == "virtio-iommu-domain-1")
        #expect(events[0].device == "00:01.0")
        #expect(events[1].address == 0xffff_f000)
        #expect(events[1].sizeBytes == 0x1000)
        #expect(events[1].prot == [.read, .write])
        #expect(events[3].address == 0xffff_f010)
        #expect(events[3].isWrite == true)
        #expect(events[3].faultKind == .notPresent)
    }

    @Test func smmuv3TranslateAbort() throws {
        let event = try onlyEvent(in: "smmuv3_translate_abort smmuv3-iommu-memory-region-0-0 sid=0x8 abort on iova:0x10000 is_write=1")
        #expect(event.kind == .fault)
        #expect(event.device == "00:01.0")
        #expect(event.address == 0x10000)
        #expect(event.isWrite == true)
    }

    /// The ftrace backend writes QEMU's events into the kernel's trace buffer.
    @Test func throughTheFtraceBackend() throws {
        let event = try onlyEvent(in: " qemu-system-x86-1234 [000] ..... 12.500000: tracing_mark_write: vtd_dmar_fault sid 0x10 fault 5 addr 0x1000 write 1")
        #expect(event.naming == "vtd_dmar_fault")
        #expect(event.device == "00:02.0")
        #expect(event.provenance.timestampNanoseconds == 12_500_000_000)
        #expect(event.isWrite == true)
    }

    /// QEMU's own error messages are not trace events.
    @Test func errorReportsAreSkipped() {
        #expect(TraceText.events(in: "2023-02-13T07:02:37.074397Z qemu-system-x86_64: vtd_iova_to_slpte: detected slpte permission error (iova=0x1187a9000, level=0x3, slpte=0x0, write=0, pasid=0xffffffff)").isEmpty)
    }
}
