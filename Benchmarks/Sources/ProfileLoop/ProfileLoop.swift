import DMASim

/// A fixed loop for instruction-count profiling (valgrind --tool=callgrind), which is
/// stable on this noisy machine where wall-clock benchmarks are not.
/// Usage: ProfileLoop cycles|write [iterations]
@main
struct ProfileLoop {
    static func main() {
        let mode = CommandLine.arguments.dropFirst().first ?? "cycles"
        let iterations = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2])! : 100_000
        let engine = Engine()
        let base: UInt64 = 0x1000_0000_0000
        _ = engine.apply(.region(RegionSpec(name: "shm0", base: base, sizeBytes: 1 << 40, kind: .shared)))
        _ = engine.apply(.iommu(IOMMUSpec(name: "mmu0")))
        _ = engine.apply(.device(DeviceSpec(name: "nvme0", iommu: "mmu0")))
        _ = engine.apply(.alloc(AllocOp(state: "s", device: "nvme0", phys: base, sizeBytes: 1 << 30)))
        var checksum = 0
        if mode == "write" {
            _ = engine.apply(.link(LinkOp(state: "s", offset: 0, phys: base, length: 1 << 20, direction: .bidirectional)))
            let write = Op.deviceWrite(DeviceWriteOp(device: "nvme0", address: .state("s", offset: 0), length: 65536, fill: .seed(1)))
            for _ in 0..<iterations { checksum &+= engine.apply(write).touched.count }
        } else {
            let link = Op.link(LinkOp(state: "s", offset: 0, phys: base, length: 4096, direction: .bidirectional))
            let sync = Op.sync(SyncOp(state: "s", offset: 0, length: 4096))
            let unlink = Op.unlink(UnlinkOp(state: "s", offset: 0, length: 4096, direction: .bidirectional))
            for _ in 0..<iterations {
                checksum &+= engine.apply(link).ranges.count
                checksum &+= engine.apply(sync).events.count
                checksum &+= engine.apply(unlink).events.count
            }
        }
        print(checksum)
    }
}
