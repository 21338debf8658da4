/// Where bytes go. On a machine with a non-coherent device, CPU loads and stores go
/// through the CPU cache model and device DMA goes past it (non-coherent) or snoops it
/// (coherent). A machine with coherent devices only has no cache model: every access
/// is a plain memory access, today's fast path.
extension Engine {
    /// A CPU store of `fill` (bytes `fillPosition…` of it) at `phys`.
    func cpuStore(phys: UInt64, length: UInt64, fill: Fill, fillPosition: UInt64 = 0) {
        guard cache != nil else {
            memory.lastWriters?.note(phys: phys, length: length, path: .cpuStore)
            return memory.write(phys: phys, length: length, fill: fill, fillPosition: fillPosition)
        }
        cache!.cpuWrite(phys: phys, length: length) { destination, position in
            fill.render(into: destination, from: fillPosition + position)
        }
    }

    /// A CPU load, fed to `hasher`.
    func cpuLoad(phys: UInt64, length: UInt64, into hasher: inout XXH64) {
        guard cache != nil else { return memory.hash(phys: phys, length: length, into: &hasher) }
        cache!.cpuRead(phys: phys, length: length) { hasher.update($0) }
    }

    /// A CPU `memcpy` inside physical memory: what `swiotlb_bounce()` and the padding
    /// `memset` of `iommu_dma_map_swiotlb()` are.
    func cpuCopy(from source: UInt64, to destination: UInt64, length: UInt64) {
        guard cache != nil else {
            memory.lastWriters?.note(phys: destination, length: length, path: .bounceCopy)
            return memory.copy(from: source, to: destination, length: length)
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(length))
        cache!.cpuRead(phys: source, length: length) { bytes.append(contentsOf: $0) }
        bytes.withUnsafeBytes { buffer in
            cache!.cpuWrite(phys: destination, length: length) { target, position in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[Int(position)..<Int(position) + target.count]))
            }
        }
    }

    /// A device DMA write of `count` fill bytes at `phys` (`dma` says through what).
    func deviceStore(_ device: DeviceRuntime, phys: UInt64, dma: DMAWrite, count: UInt64, fill: Fill, fillPosition: UInt64) {
        cache?.deviceWillWrite(phys: phys, length: count, coherent: device.spec.coherent)
        memory.lastWriters?.note(phys: phys, length: count, path: .deviceDMA, dma: dma)
        memory.write(phys: phys, length: count, fill: fill, fillPosition: fillPosition)
    }

    /// A device DMA read of `count` bytes at `phys`, fed to `hasher`.
    func deviceLoad(_ device: DeviceRuntime, phys: UInt64, count: UInt64, into hasher: inout XXH64) {
        guard let cache else { return memory.hash(phys: phys, length: count, into: &hasher) }
        cache.deviceRead(phys: phys, length: count, coherent: device.spec.coherent) { hasher.update($0) }
    }
}
