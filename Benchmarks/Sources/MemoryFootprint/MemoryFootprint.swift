import DMASim
import ProcStatus

/// Resident memory of the engine holding N live 4 KiB mappings over a shared region of a
/// given size, read from /proc/self/status (VmRSS plus VmPTE, the kernel page tables a
/// sparse layout can hide). Usage: MemoryFootprint [mappings] [region-bytes-log2] [write-bytes]
/// Each mapping is try_alloc + link of 4 KiB; with write-bytes > 0 the device then writes
/// that many bytes through it, so touched memory is measured too.
@main
struct MemoryFootprint {
    static func main() {
        let arguments = CommandLine.arguments
        let mappings = arguments.count > 1 ? Int(arguments[1])! : 100_000
        let regionLog2 = arguments.count > 2 ? UInt64(arguments[2])! : 40
        let writeBytes = arguments.count > 3 ? UInt64(arguments[3])! : 0
        let before = ProcStatus.residentKiB()
        let engine = Engine()
        let base: UInt64 = 0x1000_0000_0000
        _ = engine.apply(.region(RegionSpec(name: "shm0", base: base, sizeBytes: 1 << regionLog2, kind: .shared)))
        _ = engine.apply(.iommu(IOMMUSpec(name: "mmu0")))
        _ = engine.apply(.device(DeviceSpec(name: "nvme0", iommu: "mmu0")))
        var failures = 0
        for index in 0..<mappings {
            // Spread the physical pages over the whole region: no locality to exploit.
            let page = (UInt64(index) &* 0x9E37_79B9) % ((1 << regionLog2) >> 12)
            let phys = base + page << 12
            let state = "s\(index)"
            let allocated = engine.apply(.alloc(AllocOp(state: state, device: "nvme0", phys: phys, sizeBytes: 4096)))
            let linked = engine.apply(.link(LinkOp(state: state, offset: 0, phys: phys, length: 4096, direction: .bidirectional)))
            if allocated.status != .ok || linked.status != .ok { failures += 1 }
            guard writeBytes > 0 else { continue }
            let write = DeviceWriteOp(device: "nvme0", address: .state(state, offset: 0), length: writeBytes, fill: .seed(UInt64(index)))
            if engine.apply(.deviceWrite(write)).status != .ok { failures += 1 }
        }
        let after = ProcStatus.residentKiB()
        withExtendedLifetime(engine) {
            print("mappings=\(mappings) region=2^\(regionLog2) bytes, device write of \(writeBytes) bytes each, failures=\(failures)")
            print("resident before: \(before.rss) KiB (+\(before.pte) KiB page tables)")
            print("resident after:  \(after.rss) KiB (+\(after.pte) KiB page tables)")
            print("engine cost:     \((after.rss + after.pte - before.rss - before.pte) / 1024) MiB")
        }
    }
}
