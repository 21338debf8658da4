import Foundation
import Testing
@testable import Capture

@Suite("Probe definitions: the lines written to dynamic_events")
struct ProbeDefinitionTests {
    @Test("fprobe lines name the arguments by BTF, as the lab's probes/iova that 7.3.4 accepted, with dev on every entry")
    func fprobe() {
        let lines = Dictionary(uniqueKeysWithValues: ProbeDefinitions.lines(.fprobe).map { ($0.event, $0.line) })
        #expect(lines.count == 12)
        #expect(lines["dma_iova_try_alloc"] == "f:dmajournal/dma_iova_try_alloc dma_iova_try_alloc dev=dev->kobj.name:string state=state:x64 phys=phys:x64 size=size:u64")
        #expect(lines["dma_iova_try_alloc_ret"] == "f:dmajournal/dma_iova_try_alloc_ret dma_iova_try_alloc%return ret=$retval:u8 state=state:x64 addr=state->addr:x64 state_size=state->__size:x64")
        #expect(lines["dma_iova_destroy"] == "f:dmajournal/dma_iova_destroy dma_iova_destroy dev=dev->kobj.name:string state=state:x64 addr=state->addr:x64 state_size=state->__size:x64 mapped_len=mapped_len:u64 dir=dir:s32 attrs=attrs:x64")
        #expect(lines["dma_iova_free_ret"] == "f:dmajournal/dma_iova_free_ret dma_iova_free%return")
    }

    @Test("x86_64 kprobe lines: System V argument registers, $arg7 on the stack, $argN in return probes")
    func kprobeX86() {
        let lines = Dictionary(uniqueKeysWithValues: ProbeDefinitions.lines(.kprobe(.x86_64)).map { ($0.event, $0.line) })
        #expect(lines["dma_iova_link"] == "p:dmajournal/dma_iova_link dma_iova_link dev=+0(+0(%di)):string state=%si:x64 addr=+0(%si):x64 phys=%dx:x64 offset=%cx:u64 size=%r8:u64 dir=%r9:s32 attrs=$arg7:x64")
        #expect(lines["dma_iova_try_alloc_ret"] == "r:dmajournal/dma_iova_try_alloc_ret dma_iova_try_alloc ret=$retval:u8 state=$arg2:x64 addr=+0($arg2):x64 state_size=+8($arg2):x64")
        #expect(lines["dma_iova_unlink"] == "p:dmajournal/dma_iova_unlink dma_iova_unlink dev=+0(+0(%di)):string state=%si:x64 addr=+0(%si):x64 offset=%dx:u64 size=%cx:u64 dir=%r8:s32 attrs=%r9:x64")
    }

    @Test("aarch64 kprobe lines: AAPCS64 x0-x7, the seventh argument in x6")
    func kprobeArm64() {
        let lines = Dictionary(uniqueKeysWithValues: ProbeDefinitions.lines(.kprobe(.arm64)).map { ($0.event, $0.line) })
        #expect(lines["dma_iova_link"] == "p:dmajournal/dma_iova_link dma_iova_link dev=+0(+0(%x0)):string state=%x1:x64 addr=+0(%x1):x64 phys=%x2:x64 offset=%x3:u64 size=%x4:u64 dir=%x5:s32 attrs=%x6:x64")
    }

    @Test("every event prints the fields the importer reads for it")
    func fieldNames() {
        for event in IOVAProbes.events {
            let names = event.fields.map(\.name)
            if event.returns {
                #expect(event.function == "dma_iova_try_alloc" ? names == ["ret", "state", "addr", "state_size"] : names.allSatisfy { $0 == "ret" })
            } else {
                #expect(Array(names.prefix(2)) == ["dev", "state"], "\(event.name)")
            }
        }
        #expect(ProbeDefinitions.removal(event: "dma_iova_link") == "-:dmajournal/dma_iova_link")
    }
}
