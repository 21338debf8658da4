import DMASim
import ProcStatus

/// Resident memory of the engine holding dirty CPU cache lines: a machine with a
/// non-coherent device, where the CPU writes `2^log2` bytes (default 1 GiB) that stay
/// dirty in the cache model because nothing cleans them. Usage:
/// CacheFootprint [bytes-log2] [write-bytes]
@main
struct CacheFootprint {
    static func main() {
        let arguments = CommandLine.arguments
        let totalLog2 = arguments.count > 1 ? UInt64(arguments[1])! : 30
        let chunk = arguments.count > 2 ? UInt64(arguments[2])! : 1 << 20
        let base: UInt64 = 0x1000_0000_0000
        let before = ProcStatus.residentKiB()
        let engine = Engine()
        _ = engine.apply(.region(RegionSpec(name: "shm0", base: base, sizeBytes: 1 << 40, kind: .shared)))
        _ = engine.apply(.device(DeviceSpec(name: "dsp0", iommu: nil, coherent: false)))
        let clock = ContinuousClock()
        let started = clock.now
        for offset in stride(from: 0, to: UInt64(1) << totalLog2, by: Int(chunk)) {
            _ = engine.apply(.cpuWrite(CPUWriteOp(phys: base + offset, length: chunk, fill: .seed(offset))))
        }
        let elapsed = clock.now - started
        let after = ProcStatus.residentKiB()
        // The lines are dirty: the CPU reads its data, a non-coherent device reads memory (zeros).
        _ = engine.apply(.map(MapOp(mapping: "m1", device: "dsp0", phys: base, length: 4096, direction: .toDevice,
                                    attributes: .skipCPUSync)))
        let cpu = engine.apply(.cpuRead(CPUReadOp(phys: base, length: 4096))).digest == Fill.seed(0).digest(length: 4096)
        let device = engine.apply(.deviceRead(DeviceReadOp(device: "dsp0", address: .mapping("m1", offset: 0), length: 4096)))
        let stale = device.digest == Fill.zero.digest(length: 4096)
        withExtendedLifetime(engine) {
            let costKiB = after.rss + after.pte - before.rss - before.pte
            print("dirty bytes: 2^\(totalLog2) (\((UInt64(1) << totalLog2) >> 6) lines), written in \(chunk)-byte CPU stores in \(elapsed)")
            print("CPU sees its data: \(cpu); non-coherent device sees memory (zeros): \(stale)")
            print("resident before: \(before.rss) KiB (+\(before.pte) KiB page tables)")
            print("resident after:  \(after.rss) KiB (+\(after.pte) KiB page tables)")
            print("engine cost:     \(costKiB / 1024) MiB, \(Double(costKiB) * 1024 / Double((UInt64(1) << totalLog2) >> 6)) bytes per dirty line")
        }
    }
}
