import DMASim
import Journal

/// Mappings and states older than the trace: an unmap, sync, destroy or device access
/// names one the trace never showed made, so the simulation makes it just before, where
/// the kernel had it, claiming nothing.
extension TraceSimulation {
    /// What the simulation knows of a mapping an unmap or sync names, making a stand-in
    /// map first when the trace never showed it. A dma-debug report sizes the stand-in
    /// from its own words (`[map size=N bytes]`, `[mapped as DMA_…]`, kernel/dma/debug.c),
    /// so the model meets the same mismatch the kernel reported.
    func knownMapping(_ handle: String, record: ImportedOp, before steps: inout [Step]) -> MappingFacts? {
        if let known = facts_[handle] { return known }
        guard let device = record.device, !device.isEmpty else { return nil }
        steps += declare(device, firstCall: record)
        let hints = DMADebugHints(of: record)
        let offset: UInt64
        let length: UInt64, direction: DMADirection
        switch record.op.call {
        case .unmap(let call):
            offset = 0
            length = hints.mappedLength ?? (record.unknown.contains(.length) || call.length == 0 ? 4096 : call.length)
            direction = hints.mappedDirection ?? (record.unknown.contains(.direction) ? .bidirectional : call.direction)
        case .syncForCPU(let call), .syncForDevice(let call):
            offset = record.unknown.contains(.offset) ? 0 : call.offset
            length = hints.mappedLength ?? max(record.unknown.contains(.length) ? 4096 : call.length, offset + 1)
            direction = hints.mappedDirection ?? (record.unknown.contains(.direction) ? .bidirectional : call.direction)
        default:
            return nil
        }
        let known = MappingFacts(length: length, direction: direction, device: device, isState: false)
        facts_[handle] = known
        preTraceCount += 1
        // An unmap of DMA_MAPPING_ERROR itself: the handle a failed map returned.
        if case .unmap = record.op.call, record.address == DMADebugMessages.mappingErrorAddress, !directDevices.contains(device) {
            steps.append(failedMapStandIn(handle, device: device, direction: direction))
            return known
        }
        if let address = record.address { remember(handle, at: address &- offset, length: length, device: device, isState: false) }
        let map = MapOp(mapping: handle, device: device, phys: inventPhys(length), length: length, direction: direction)
        steps.append(Step(op: .map(map), claims: [], record: nil))
        if !hints.mapErrorUnchecked { steps.append(mappingErrorCheck(handle)) }
        // dma-debug found no entry for it (`check_unmap()`/`check_sync()`: "has not
        // allocated"): whatever the driver once mapped there was unmapped already.
        if hints.foundNoEntry {
            steps.append(Step(op: .unmap(UnmapOp(mapping: handle, length: length, direction: direction)), claims: [], record: nil))
        }
        return known
    }

    /// The failed map whose `DMA_MAPPING_ERROR` handle dma-debug saw unmapped (`check_unmap()`:
    /// "tries to free an invalid DMA memory address"): the log does not say why it failed,
    /// so the stand-in is one that fails the way any map through an IOMMU can, an IOVA
    /// allocation larger than the device's whole IOVA space (`iommu_dma_alloc_iova()` finds
    /// no range; `__iommu_dma_map()` returns `DMA_MAPPING_ERROR`). No `dma_mapping_error()`
    /// check follows: a driver that checked would not have unmapped it.
    private func failedMapStandIn(_ handle: String, device: String, direction: DMADirection) -> Step {
        let sentence = "a map dma-debug saw unmapped as DMA_MAPPING_ERROR failed before the log: its stand-in is a map larger than the IOVA space, which fails as the kernel's did"
        if !assumptions.contains(sentence) { note(sentence) }
        let map = MapOp(mapping: handle, device: device, phys: 0, length: Self.regionSize, direction: direction)
        return Step(op: .map(map), claims: [], record: nil)
    }

    /// The live mapping a map's cacheline overlapped (dma-debug's "cacheline tracking
    /// EEXIST": `active_cacheline_insert()` found an entry there, which only a mapping the
    /// device may write, not `DMA_TO_DEVICE`, leaves): mapped before the trace at the same
    /// physical address, bidirectional, and left live (`o1`, `o2` …).
    func overlappedMappingStandIn(device: String, phys: UInt64, length: UInt64) -> [Step] {
        overlapStandIns += 1
        let handle = "o\(overlapStandIns)"
        facts_[handle] = MappingFacts(length: length, direction: .bidirectional, device: device, isState: false)
        preTraceCount += 1
        let map = MapOp(mapping: handle, device: device, phys: phys, length: length, direction: .bidirectional)
        return [Step(op: .map(map), claims: [], record: nil), mappingErrorCheck(handle)]
    }

    /// What the simulation knows of a two-step state a call names, making a stand-in
    /// try_alloc and link of what the call implies was linked when the trace never showed it.
    func knownState(_ handle: String, record: ImportedOp, before steps: inout [Step]) -> MappingFacts? {
        if let known = facts_[handle] { return known }
        guard let device = record.device, !device.isEmpty else { return nil }
        steps += declare(device, firstCall: record)
        let length: UInt64
        switch record.op.call {
        case .destroy(let call): length = call.mappedLength
        case .unlink(let call): length = call.offset &+ call.length
        case .sync(let call): length = call.offset &+ call.length
        case .link(let call): length = call.offset &+ call.length
        default: length = 4096
        }
        let size = max(length, 4096)
        let known = MappingFacts(length: size, direction: .bidirectional, device: device, isState: true)
        facts_[handle] = known
        if let address = record.address { remember(handle, at: address, length: size, device: device, isState: true) }
        preTraceCount += 1
        let phys = inventPhys(size)
        steps.append(Step(op: .alloc(AllocOp(state: handle, device: device, phys: phys, sizeBytes: size)), claims: [], record: nil))
        if case .link = record.op.call { return known }
        steps.append(Step(op: .link(LinkOp(state: handle, offset: 0, phys: phys, length: size, direction: .bidirectional)), claims: [], record: nil))
        return known
    }

    /// A page an access shows translated (or refused for its direction), mapped before the
    /// trace (`t1`, `t2` …: the importer names mappings `m`, `u` and `s`).
    func translatedPageMap(at address: UInt64, device: String, direction: DMADirection) -> [Step] {
        translatedPages += 1
        let handle = "t\(translatedPages)"
        let page = address & ~4095
        facts_[handle] = MappingFacts(length: 4096, direction: direction, device: device, isState: false)
        remember(handle, at: page, length: 4096, device: device, isState: false)
        preTraceCount += 1
        let map = MapOp(mapping: handle, device: device, phys: inventPhys(4096), length: 4096, direction: direction)
        return [Step(op: .map(map), claims: [], record: nil), mappingErrorCheck(handle)]
    }
}
