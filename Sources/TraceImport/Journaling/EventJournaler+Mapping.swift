import DMASim
import Journal

/// Maps and unmaps.
extension EventJournaler {
    /// A map: a `map` op on the device (or the space's pseudo-device), returning the DMA
    /// address, with one mapped range per segment.
    func map(_ event: ParsedEvent) -> [ImportedOp] {
        let (space, device) = mappingSpace(event)
        guard let address = event.address, let size = event.sizeBytes else { return [emit(mapFailed(event), event)] }
        if address == .max, event.naming.hasPrefix("dma_") {
            return [emit(mapFailed(event), event)]   // DMA_MAPPING_ERROR: the map failed.
        }
        let handle = newMappingHandle()
        var draft = Draft(op: .map(MapOp(mapping: handle, device: device, phys: event.phys ?? 0, length: size,
                                         direction: event.direction ?? .bidirectional, attributes: event.attributes ?? [])))
        draft.unknown = unknownMapFields(event)
        let prot = event.prot ?? event.direction.map { IOMMUProt(direction: $0, coherent: false, attributes: event.attributes ?? []) } ?? []
        let segments = event.segments.isEmpty ? [DMASegment(address: address, length: size)] : event.segments
        let physKnown = event.segments.isEmpty ? event.phys != nil : event.physList.count == segments.count
        var ranges: [MappedRange] = []
        if !event.iommuEvents.isEmpty {
            // The IOMMU's own record of what the call put in the page table: whole granules.
            ranges = event.iommuEvents.map { MappedRange(iova: $0.iova, phys: $0.phys ?? 0, length: $0.sizeBytes, prot: prot, bounced: false) }
        }
        for (index, segment) in segments.enumerated() {
            let phys = physKnown ? (event.segments.isEmpty ? event.phys! : event.physList[index]) : 0
            if event.iommuEvents.isEmpty {
                ranges.append(MappedRange(iova: segment.address, phys: phys, length: segment.length, prot: prot, bounced: false))
            }
            space.map(AddressSpace.LiveRange(handle: handle, device: device,
                                             range: segment.address..<segment.address.adding(length: segment.length),
                                             direction: event.direction, mappedSize: segment.length,
                                             physList: event.segments.isEmpty ? [] : event.physList, seq: seqOfNextOp))
        }
        if !physKnown { draft.notes.append("physical address not in the trace: mapped_ranges.phys is 0") }
        if event.prot == nil && event.direction == nil { draft.notes.append("no direction in the trace: mapped_ranges.prot is 0") }
        draft.outcome = Outcome(status: .ok, address: address, ranges: ranges)
        let ownMapping = event.space == nil && event.device != nil
        registry.noteMap(device, address: address, phys: event.phys, ownMapping: ownMapping,
                         dmaAPI: event.naming.hasPrefix("dma_") || event.naming == "debug_dma_dump_mappings")
        return [emit(draft, event)]
    }

    /// A map that failed: a `map` op with status mapping-error (or the errno it returned).
    func mapFailed(_ event: ParsedEvent) -> Draft {
        let (_, device) = mappingSpace(event)
        var draft = Draft(op: .map(MapOp(mapping: newMappingHandle(), device: device, phys: event.phys ?? 0, length: event.sizeBytes ?? 0,
                                         direction: event.direction ?? .bidirectional, attributes: event.attributes ?? [])))
        draft.unknown = unknownMapFields(event)
        let errno = event.errno.flatMap { code in Errno.allCases.first { $0.number == -code } }
        draft.outcome = Outcome(status: errno.map { .errno($0) } ?? .mappingError, address: event.address)
        return draft
    }

    private func unknownMapFields(_ event: ParsedEvent) -> UnknownFields {
        var unknown: UnknownFields = []
        if event.phys == nil { unknown.insert(.phys) }
        if event.sizeBytes == nil { unknown.insert(.length) }
        if event.direction == nil { unknown.insert(.direction) }
        if event.attributes == nil { unknown.insert(.attributes) }
        return unknown
    }

    /// An unmap: one `unmap` op per mapping it ends. A DMA API unmap names one mapping by
    /// its exact address (as dma-debug matches it); an IOMMU unmap takes a range out of
    /// the page table, which may end several mappings or part of one.
    func unmap(_ event: ParsedEvent) -> [ImportedOp] {
        let (space, device) = mappingSpace(event)
        if event.address == nil, let first = event.physList.first {
            return [emit(unmapScatterGather(event, space, device, firstPhys: first), event)]
        }
        guard let address = event.address else { return [emit(unmapUnseen(event, space, device, address: nil), event)] }
        if event.naming.hasPrefix("dma_") {
            guard let mapping = space.live(startingAt: address) else { return [emit(unmapUnseen(event, space, device, address: address), event)] }
            let draft = unmapDraft(event, handle: mapping.handle, device: device)
            space.unmap(handle: mapping.handle, seq: seqOfNextOp, naming: event.naming)
            return [emit(draft, event)]
        }
        let query = address..<address.adding(length: event.sizeBytes ?? 1)
        let ended = space.live(overlapping: query)
        guard !ended.isEmpty else { return [emit(unmapUnseen(event, space, device, address: address), event)] }
        return ended.map { mapping in
            let piece = max(query.lowerBound, mapping.range.lowerBound)..<min(query.upperBound, mapping.range.upperBound)
            var draft = unmapDraft(event, handle: mapping.handle, device: device)
            draft.address = piece.lowerBound
            draft.op = .unmap(UnmapOp(mapping: mapping.handle, length: piece.upperBound - piece.lowerBound, direction: .bidirectional))
            draft.unknown.remove(.length)
            if ended.count > 1 {
                draft.notes.append("one unmap of \(hexText(address))+\(event.sizeBytes ?? 0) ended \(ended.count) mappings")
            }
            space.unmap(piece, handle: mapping.handle, seq: seqOfNextOp, naming: event.naming)
            return emit(draft, event)
        }
    }

    /// An `unmap` op for `handle`, with what the line said.
    private func unmapDraft(_ event: ParsedEvent, handle: String, device: String) -> Draft {
        var draft = Draft(op: .unmap(UnmapOp(mapping: handle, length: event.sizeBytes ?? 0, direction: event.direction ?? .bidirectional,
                                             attributes: event.attributes ?? [])))
        if event.sizeBytes == nil { draft.unknown.insert(.length) }
        if event.direction == nil { draft.unknown.insert(.direction) }
        if event.attributes == nil { draft.unknown.insert(.attributes) }
        draft.device = device
        draft.address = event.address
        return draft
    }

    /// An unmap of an address nothing in the trace mapped now: of the mapping that had it
    /// when the trace unmapped it before (a double unmap, which the model's dma-debug
    /// reports), else of a mapping older than the trace (`u1` …).
    private func unmapUnseen(_ event: ParsedEvent, _ space: AddressSpace, _ device: String, address: UInt64?) -> Draft {
        let unmapped = address.flatMap { space.dead(startingAt: $0) ?? space.dead(containing: $0) }
        let handle = unmapped?.handle ?? unseenHandle(space.name, address)
        var draft = unmapDraft(event, handle: handle, device: device)
        guard let address else { return draft }
        if unmapped == nil, event.unmappedBytes == 0 {
            draft.notes.append("the kernel unmapped 0 of \(event.sizeBytes ?? 0) bytes: nothing was mapped there")
        }
        if let size = event.sizeBytes, unmapped == nil, event.unmappedBytes != 0 {
            // The kernel unmapped it, so the range is gone whatever mapped it before the trace.
            space.bury(address..<address.adding(length: size), handle: handle, seq: seqOfNextOp, naming: event.naming)
        }
        return draft
    }

    /// `dma_unmap_sg` names the list's physical addresses only: the map with the same first one.
    private func unmapScatterGather(_ event: ParsedEvent, _ space: AddressSpace, _ device: String, firstPhys: UInt64) -> Draft {
        let ranges = space.live(scatterGatherStartingAtPhys: firstPhys, device: device)
        guard let first = ranges.first else {
            var draft = unmapDraft(event, handle: unseenHandle(space.name, nil), device: device)
            draft.notes.append("no dma_map_sg of physical \(hexText(firstPhys)) earlier in the trace")
            return draft
        }
        let draft = unmapDraft(event, handle: first.handle, device: device)
        space.unmap(handle: first.handle, seq: seqOfNextOp, naming: event.naming)
        return draft
    }
}
