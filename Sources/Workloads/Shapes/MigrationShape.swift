/// A mlx5 live-migration buffer (`mlx5vf_alloc_data_buffer` → `register_dma_pages`):
/// 64 KiB to 8 MiB of pages from the page allocator, here in physically contiguous runs
/// of 1 to 16 pages. Saving (the device writes its state) is more common than loading.
enum MigrationShape: BufferShape {
    static let maxBufferBytes: UInt64 = 8 << 20
    static let maxSlots = Int(maxBufferBytes / SlotLayout.dataBytesPerSlot)
    static let maxRunPages = 16
    static let saveShare = 0.75

    static func buffer(for device: DeviceProfile, _ context: TrafficContext) -> RequestBuffer {
        let unit = device.unitBytes
        let pages = context.random.logUniform(16...Int(maxBufferBytes / unit))
        var buffer = RequestBuffer(direction: context.random.chance(saveShare) ? .fromDevice : .toDevice)
        for slotPages in slotShares(pages, unitsPerSlot: Int(SlotLayout.dataBytesPerSlot / unit)) {
            let runs = runs(of: slotPages, &context.random).map { UInt64($0) * unit }
            buffer.appendInSlot(runs, unit: unit, context)
        }
        return buffer
    }

    /// `pages` cut into per-slot shares of at most `unitsPerSlot`.
    private static func slotShares(_ pages: Int, unitsPerSlot: Int) -> [Int] {
        stride(from: 0, to: pages, by: unitsPerSlot).map { min(unitsPerSlot, pages - $0) }
    }

    /// `pages` cut into runs of 1 to `maxRunPages`.
    private static func runs(of pages: Int, _ random: inout WorkloadRandom) -> [Int] {
        var runs: [Int] = []
        var left = pages
        while left > 0 {
            let run = min(left, random.logUniform(1...maxRunPages))
            runs.append(run)
            left -= run
        }
        return runs
    }
}
