import DMASim

/// What one IOVA space held, as far as the trace showed: the ranges mapped now, and the
/// ranges unmapped and not mapped again since. A device's space for the DMA API events
/// (dma-debug keys mappings by device and address too), a shared one for the `iommu:map`
/// events that name no device, one per virtio-iommu domain.
final class AddressSpace {
    /// A mapped range: one per map, one per segment of a scatter-gather map.
    struct LiveRange {
        var handle: String
        var device: String
        var range: Range<UInt64>
        /// The map's direction and size arguments, when the trace gave them.
        var direction: DMADirection?
        var mappedSize: UInt64?
        /// A scatter-gather map's physical addresses (`dma_unmap_sg` names them, not the DMA addresses).
        var physList: [UInt64]
        var seq: Int
    }

    /// An unmapped range and the op that unmapped it.
    struct DeadRange {
        var handle: String
        var range: Range<UInt64>
        var seq: Int
        var naming: String
    }

    let name: String
    /// Whether anything was ever mapped here.
    private(set) var hasMappings = false
    private var live: [Int: LiveRange] = [:]
    private var liveIndex = RangeIndex()
    private var liveByHandle: [String: [Int]] = [:]
    private var liveByStart: [UInt64: [Int]] = [:]
    private var dead: [Int: DeadRange] = [:]
    private var deadIndex = RangeIndex()
    private var nextID = 0
    /// Scatter-gather maps by device and first physical address, for `dma_unmap_sg`.
    private var scatterGatherHandles: [PhysKey: String] = [:]

    private struct PhysKey: Hashable {
        var device: String
        var phys: UInt64
    }

    init(name: String) { self.name = name }

    func map(_ entry: LiveRange) {
        if let first = entry.physList.first { scatterGatherHandles[PhysKey(device: entry.device, phys: first)] = entry.handle }
        nextID += 1
        live[nextID] = entry
        liveIndex.insert(id: nextID, entry.range)
        liveByHandle[entry.handle, default: []].append(nextID)
        liveByStart[entry.range.lowerBound, default: []].append(nextID)
        hasMappings = true
    }

    /// The latest live range starting exactly at `address` (dma-debug's exact match).
    func live(startingAt address: UInt64) -> LiveRange? {
        liveByStart[address]?.last.flatMap { live[$0] }
    }

    /// The latest live range containing `address`.
    func live(containing address: UInt64) -> LiveRange? {
        liveIndex.ids(overlapping: address..<address.adding(length: 1)).last.flatMap { live[$0] }
    }

    /// Live ranges overlapping `query`, by start address.
    func live(overlapping query: Range<UInt64>) -> [LiveRange] {
        liveIndex.ids(overlapping: query).compactMap { live[$0] }.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// The live ranges of the latest scatter-gather map of `device` whose first physical
    /// address is `phys`.
    func live(scatterGatherStartingAtPhys phys: UInt64, device: String) -> [LiveRange] {
        guard let handle = scatterGatherHandles[PhysKey(device: device, phys: phys)] else { return [] }
        return liveRanges(of: handle)
    }

    func liveRanges(of handle: String) -> [LiveRange] { (liveByHandle[handle] ?? []).compactMap { live[$0] } }

    /// Takes `query` out of the live ranges it overlaps (what is left of a range stays
    /// mapped) and remembers it as unmapped by op `seq`.
    func unmap(_ query: Range<UInt64>, handle: String, seq: Int, naming: String) {
        for id in liveIndex.ids(overlapping: query) {
            guard let entry = live[id] else { continue }
            removeLive(id, entry)
            for piece in [entry.range.lowerBound..<max(entry.range.lowerBound, query.lowerBound),
                          min(entry.range.upperBound, query.upperBound)..<entry.range.upperBound] where !piece.isEmpty {
                var rest = entry
                rest.range = piece
                map(rest)
            }
        }
        bury(query, handle: handle, seq: seq, naming: naming)
    }

    /// Ends one mapping: a DMA API unmap or free names its mapping, and other mappings of
    /// the same addresses (dma-direct maps the same buffer again without unmapping) stay.
    func unmap(handle: String, seq: Int, naming: String) {
        for id in liveByHandle[handle] ?? [] {
            guard let entry = live[id] else { continue }
            removeLive(id, entry)
            bury(entry.range, handle: handle, seq: seq, naming: naming)
        }
    }

    /// The latest unmapped range containing `address`.
    func dead(containing address: UInt64) -> DeadRange? {
        deadIndex.ids(overlapping: address..<address.adding(length: 1)).last.flatMap { dead[$0] }
    }

    /// The latest unmapped range starting exactly at `address`.
    func dead(startingAt address: UInt64) -> DeadRange? {
        deadIndex.ids(overlapping: address..<address.adding(length: 1)).reversed()
            .compactMap { dead[$0] }.first { $0.range.lowerBound == address }
    }

    /// Remembers an unmapped range. Older unmapped ranges it covers are forgotten, so an
    /// allocator that hands the same IOVAs out again keeps this bounded.
    func bury(_ range: Range<UInt64>, handle: String, seq: Int, naming: String) {
        guard !range.isEmpty else { return }
        for id in deadIndex.removeAll(coveredBy: range) { dead[id] = nil }
        nextID += 1
        dead[nextID] = DeadRange(handle: handle, range: range, seq: seq, naming: naming)
        deadIndex.insert(id: nextID, range)
    }

    private func removeLive(_ id: Int, _ entry: LiveRange) {
        live[id] = nil
        liveIndex.remove(id: id)
        liveByStart[entry.range.lowerBound]?.removeAll { $0 == id }
        if liveByStart[entry.range.lowerBound]?.isEmpty == true { liveByStart[entry.range.lowerBound] = nil }
        liveByHandle[entry.handle]?.removeAll { $0 == id }
        if liveByHandle[entry.handle]?.isEmpty == true {
            liveByHandle[entry.handle] = nil
            if let first = entry.physList.first, scatterGatherHandles[PhysKey(device: entry.device, phys: first)] == entry.handle {
                scatterGatherHandles[PhysKey(device: entry.device, phys: first)] = nil
            }
        }
    }
}
