import Foundation
import Testing
@testable import Capture

/// A capture `dmajournal capture` made of an NVMe dd workload on Debian's 7.3.4 under QEMU
/// (intel-iommu, strict; scripts/capture-in-lab.sh): the kernel printed what the
/// definitions asked for.
@Suite("The lab capture: what 7.3.4 printed for our probe definitions")
struct LabCaptureTests {
    let text = try! String(contentsOfFile: fixture("capture/7.3-intel-strict-nvme-capture.txt"), encoding: .utf8)

    /// `event: (site) k=v k=v` → (event, [k]).
    func probeLines() -> [(event: String, fields: [String])] {
        let names = Set(IOVAProbes.events.map(\.name))
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let close = line.firstRange(of: ") ") else { return nil }
            let head = line[..<close.lowerBound]
            guard let colon = head.lastIndex(of: ":"), let space = head[..<colon].lastIndex(of: " ") else { return nil }
            let event = String(head[head.index(after: space)..<colon])
            guard names.contains(event) else { return nil }
            let fields = line[close.upperBound...].split(separator: " ").compactMap { $0.split(separator: "=").first.map(String.init) }
            return (event, fields)
        }
    }

    @Test("every probe line has exactly the fields its definition names, in order")
    func fields() {
        let lines = probeLines()
        let byName = Dictionary(uniqueKeysWithValues: IOVAProbes.events.map { ($0.name, $0.fields.map(\.name)) })
        #expect(lines.count > 500)
        for (event, fields) in lines { #expect(fields == byName[event], "\(event): \(fields)") }
        // NVMe's multi-segment requests: allocations, links, syncs and destroys, each with its _ret.
        let counts = Dictionary(grouping: lines, by: \.event).mapValues(\.count)
        #expect(counts["dma_iova_try_alloc"] == counts["dma_iova_try_alloc_ret"])
        #expect(counts["dma_iova_link"] == counts["dma_iova_link_ret"])
        #expect((counts["dma_iova_destroy"] ?? 0) > 0)
    }

    @Test("the header says the kernel, the machine's IOMMU groups and the probes as the kernel holds them")
    func header() {
        #expect(text.hasPrefix("# kernel 7.3.4+deb13-amd64 | dmajournal 0.1.0 capture | fprobe events with BTF argument names | events: dma:* iommu:* dmajournal:* | tracefs: /sys/kernel/tracing/instances/dmajournal | command: sh /plan/workload.sh /dev/nvme0n1 |"))
        #expect(text.contains("\n# cmdline: console=ttyS0 intel_iommu=on iommu.strict=1 "))
        #expect(text.contains("\n# iommu_group 1: type=DMA devices=0000:00:01.0\n"))
        #expect(text.contains("\n# probe defined: f:dmajournal/dma_iova_try_alloc_ret dma_iova_try_alloc%return ret=$retval:u8 state=state:x64 addr=state->addr:x64 state_size=state->__size:x64\n"))
        #expect(text.contains("\n# capture ended: the command exited with status 0 after "))
    }
}
