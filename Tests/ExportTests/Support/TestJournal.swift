import DMASim
import Foundation
import Journal
import OpScript
import Pipeline
import TestSupport

/// Journals for the export tests: an op script run through the engine into a new journal,
/// as `dmajournal run --journal` records it.
enum TestJournal {
    static let run = RunInfo(toolVersion: "0.0.0-test", seed: nil, source: "export-tests.ops", createdAt: "2026-11-01T12:00:00Z")

    /// A fresh path under the temp directory (nothing is created there).
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)-\(name)").path
    }

    /// Records `script` (op-script text) and returns the journal's path.
    static func record(_ script: String, run: RunInfo = TestJournal.run, finish: Bool = true) throws -> String {
        var recording = try JournalRecording(path: temporaryPath("journal.db"), run: run)
        try recording.record(script: script, claims: false)
        if finish { try recording.finish() }
        return recording.path
    }

    /// Two devices behind two IOMMUs (the docs/queries.md example): a use after unmap
    /// (seq 11), a direction fault (15), an IOVA handed out again, a streaming unmap
    /// without a mapping-error check (20), a leak at detach (24), an access never mapped (25).
    static let twoDevices = """
        region shm0 base=0x100000000000 size=1T kind=shared
        iommu  mmu0 mode=strict
        iommu  mmu1 mode=lazy
        device nvme0 iommu=mmu0 dma-bits=64 coherent
        device nic0  iommu=mmu1 dma-bits=64 coherent
        alloc  s1 dev=nvme0 phys=0x100000000000 size=16K
        link   s1 off=0 phys=0x100000000000 len=8K dir=to-device
        link   s1 off=8K phys=0x100000010000 len=8K dir=to-device
        sync   s1 off=0 len=16K
        dev-read nvme0 addr=s1+0 len=4K
        destroy s1 mapped=16K dir=to-device
        dev-read nvme0 addr=s1+0 len=4K
        alloc  s2 dev=nvme0 phys=0x100000020000 size=16K
        link   s2 off=0 phys=0x100000020000 len=16K dir=from-device
        dev-write nvme0 addr=s2+0 len=4K fill=seed:7
        dev-read nvme0 addr=s2+0x1000 len=512
        unlink s2 off=0 len=16K dir=from-device
        free   s2
        map    m1 dev=nic0 phys=0x100000030000 len=8K dir=bidirectional
        dev-write nic0 addr=m1 len=4K fill=byte:0xab
        unmap  m1 len=8K dir=bidirectional
        flush  mmu1
        alloc  s3 dev=nic0 phys=0x100000040000 size=8K
        link   s3 off=0 phys=0x100000040000 len=8K dir=bidirectional
        detach nic0
        dev-read nvme0 addr=0x10000 len=64
        """

    /// Many short, overlapping mappings on one device: `count` states, each linked,
    /// used and destroyed while the next ones are already live.
    static func overlapping(count: Int, inFlight: Int = 4) -> String {
        var lines = [
            "region shm0 base=0x100000000000 size=1T kind=shared",
            "iommu mmu0 mode=strict",
            "device nvme0 iommu=mmu0 dma-bits=64 coherent",
        ]
        for index in 0..<(count + inFlight) {
            if index < count {
                let phys = String(0x1000_0000_0000 + UInt64(index) * 0x10000, radix: 16)
                lines.append("alloc s\(index) dev=nvme0 phys=0x\(phys) size=8K")
                lines.append("link s\(index) phys=0x\(phys) len=8K dir=bidirectional")
                lines.append("dev-write nvme0 addr=s\(index) len=4K fill=seed:\(index)")
            }
            if index >= inFlight {
                lines.append("destroy s\(index - inFlight) mapped=8K dir=bidirectional")
                lines.append("free s\(index - inFlight)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
