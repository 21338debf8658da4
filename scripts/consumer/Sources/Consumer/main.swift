import Foundation
import DMASim
import Journal
import OpScript
import Pipeline

// Runs a small op script through the engine with the library products only: a lazy-mode
// IOMMU over a 1 TiB shared region, a two-step map (dma_iova_try_alloc, two
// dma_iova_link, dma_iova_sync), device reads of the mapped bytes, every `=>` claim
// checked (the opening of fixtures/scripts/quickstart.ops). Exit 1 if a claim fails.
let text = """
region  shm0 base=0x100000000000 size=1T kind=shared
iommu   mmu0 mode=lazy granule=4K aperture-bits=48
device  nvme0 iommu=mmu0 dma-bits=64 coherent
cpu-write phys=0x100000010000 len=8K fill=seed:1
cpu-write phys=0x100000200000 len=4K fill=seed:2
alloc   s1 dev=nvme0 phys=0x100000010000 size=12K                     => iova=0xffffc000
link    s1 off=0 phys=0x100000010000 len=8K dir=to-device             => ok
link    s1 off=0x2000 phys=0x100000200000 len=4K dir=to-device        => ok
sync    s1 off=0 len=12K                                              => ok
dev-read nvme0 addr=s1+0 len=8K                                       => bytes=seed:1
dev-read nvme0 addr=s1+0x2000 len=4K                                  => bytes=seed:2
"""
var failed = 0
var lines = 0
let ending: ScriptExecutor.Ending
do {
    let script = try ScriptParser().parse(text, fileName: "consumer.ops")
    ending = try ScriptExecutor().run(script) { result in
        lines += 1
        failed += result.failedClaims.count
    }
} catch {
    FileHandle.standardError.write(Data("consumer: \(error)\n".utf8))
    exit(2)
}
// Journal is linked too: its error type words a missing journal as the CLI would.
print("consumer: \(lines) script lines, \(failed) failed claims, ending \(ending); \(JournalError.missingFile(path: "none.db"))")
exit(failed == 0 ? 0 : 1)
