/// Device DMA: an access by device-side address, translated page by page (a granule, or a
/// whole block PTE) through the IOTLB and the page table (or straight to memory for
/// dma-direct). Bytes before a fault land — a DMA engine's earlier writes are not undone
/// by a later fault.
extension Engine {
    func deviceAccess(_ deviceName: String, _ address: DeviceAddress, _ length: UInt64, write fill: Fill?) -> Outcome {
        device(named: deviceName).orReject { device in
            resolve(address).orReject { dmaAddress, namedOwner in
                if let refused = deviceAccessRejection(fill == nil ? "dev-read" : "dev-write", length: length) {
                    return .rejected(refused.message)
                }
                var access = DeviceAccess(device: device, dmaAddress: dmaAddress, length: length, fill: fill, namedOwner: namedOwner)
                if let domain = device.domain {
                    translateAndAccess(&access, domain: domain)
                } else {
                    accessDirect(&access)
                }
                return access.finish()
            }
        }
    }

    /// A symbolic address resolved against the current records: `state->addr + off` (the
    /// kernel never clears it, so this works after free too) or a mapping's DMA address.
    private func resolve(_ address: DeviceAddress) -> Result<(UInt64, IOVAOwner?), RejectReason> {
        switch address {
        case .absolute(let value):
            return .success((value, nil))
        case .state(let handle, let offset):
            guard let index = stateSlot(of: handle) else { return .failure(RejectReason("unknown IOVA state \(handle)")) }
            return .success((states[index].addr &+ offset, .state(index)))
        case .mapping(let handle, let offset):
            guard let index = mappingSlot(of: handle) else { return .failure(RejectReason("unknown mapping \(handle)")) }
            return .success((mappings[index].dmaAddress &+ offset, .mapping(index)))
        }
    }

    private func translateAndAccess(_ access: inout DeviceAccess, domain: DMADomain) {
        let granule = domain.granule
        let owner = access.namedOwner ?? domain.owners.owner(of: access.dmaAddress)
        access.owner = owner
        noteDeadOwner(owner, into: &access.outcome)
        while access.remaining > 0 {
            let iova = access.cursor
            let pfn = granule.pfn(iova)
            switch translate(pfn, domain: domain, isWrite: access.isWrite, outcome: &access.outcome) {
            case .fault(let kind):
                noteFault(kind, owner: owner, granule: pfn, into: &access.outcome)
                access.fault(kind, at: iova)
                return
            case .hit(let leaf, let stale):
                if let stale { noteStaleHit(owner, iova: iova, provenance: stale, into: &access.outcome) }
                // One translation serves the rest of its page: a whole 2 MiB block at once.
                let pageEnd = granule.address(ofPfn: leaf.firstGranule) &+ granule.address(ofPfn: leaf.pageGranules)
                let chunk = min(pageEnd &- iova, access.remaining)
                let phys = leaf.pte.phys + (iova - granule.address(ofPfn: leaf.firstGranule))
                guard move(&access, phys: phys, count: chunk) else { return }
            }
        }
    }

    /// IOTLB first; on a miss, walk the page table and cache the leaf it found (a block
    /// PTE is cached whole), journaled as an `iotlb-fill` event. A cached page is stale
    /// where the page table no longer maps the granule to the same place with the same
    /// permissions.
    private func translate(_ pfn: UInt64, domain: DMADomain, isWrite: Bool, outcome: inout Outcome) -> Translation {
        let leaf: PageLeaf
        var stale: IOTLB.Provenance?
        if let (cached, provenance) = domain.iotlb.lookupEntry(pfn) {
            leaf = cached
            let cachedEntry = cached.entry(for: pfn, granuleShift: domain.granule.shift)
            if !domain.pageTable.entry(pfn).translatesLike(cachedEntry) { stale = provenance }
        } else {
            guard let walked = domain.pageTable.leaf(pfn) else { return .fault(.notPresent) }
            guard walked.pte.isVisible else { return .fault(.notSynced) }
            domain.iotlb.fill(walked, at: context.sequence)
            outcome.noteIOTLBFill(iova: domain.granule.address(ofPfn: walked.firstGranule),
                                  bytes: domain.granule.address(ofPfn: walked.pageGranules), phys: walked.pte.phys)
            leaf = walked
        }
        guard leaf.pte.prot.contains(isWrite ? .write : .read) else { return .fault(.permission) }
        return .hit(leaf, stale: stale)
    }

    /// dma-direct: the bus address is the physical address.
    private func accessDirect(_ access: inout DeviceAccess) {
        if case .mapping(let index)? = access.namedOwner { noteDirectMappingMisuse(mappings[index], access: &access) }
        noteDeadOwner(access.namedOwner, into: &access.outcome)
        _ = move(&access, phys: access.cursor, count: access.remaining)
    }

    /// Moves `count` bytes between the device and memory at `phys`; a bus error when the
    /// range is in no region.
    private func move(_ access: inout DeviceAccess, phys: UInt64, count: UInt64) -> Bool {
        guard memory.region(containing: phys, length: count) != nil else {
            access.fault(.busError, at: access.cursor)
            return false
        }
        if let fill = access.fill {
            let dma = DMAWrite(device: access.device.spec.name, handle: handle(of: access.owner), deviceAddress: access.cursor)
            deviceStore(access.device, phys: phys, dma: dma, count: count, fill: fill, fillPosition: access.done)
        } else {
            deviceLoad(access.device, phys: phys, count: count, into: &access.hasher)
        }
        access.advance(phys: phys, count: count)
        return true
    }

    /// The handle of a state or mapping record.
    private func handle(of owner: IOVAOwner?) -> String? {
        switch owner {
        case .state(let index)?: return states[index].handle
        case .mapping(let index)?: return mappings[index].handle
        case nil: return nil
        }
    }

    // MARK: checker

    /// Whatever translation did, touching memory through a released state or mapping is
    /// misuse: the PTEs of a freed state still work, and the IOTLB may hold old ones.
    private func noteDeadOwner(_ owner: IOVAOwner?, into outcome: inout Outcome) {
        switch owner {
        case .state(let index)?:
            let state = states[index]
            if state.life == .destroyed {
                outcome.addOnce(Finding(.useAfterDestroy, handle: state.handle, "device access to \(state.handle) after dma_iova_destroy"))
            } else if state.life == .freed {
                outcome.addOnce(Finding(.useAfterFree, handle: state.handle, "device access to \(state.handle) after dma_iova_free"))
            } else if state.isLive && state.hasFailedLink {
                notePartialLink(index, into: &outcome)
            }
        case .mapping(let index)?:
            let mapping = mappings[index]
            if mapping.life == .unmapped {
                outcome.addOnce(Finding(.useAfterUnmap, handle: mapping.handle, "device access to \(mapping.handle) after dma_unmap_phys"))
            } else if mapping.life == .failed {
                outcome.addOnce(Finding(.useOfMappingError, handle: mapping.handle, "device access through DMA_MAPPING_ERROR from \(mapping.handle)"))
            }
        case nil:
            return
        }
    }

    private func noteFault(_ kind: FaultKind, owner: IOVAOwner?, granule: UInt64, into outcome: inout Outcome) {
        let handle = owner.map(ownerName)
        switch kind {
        case .notSynced:
            outcome.addOnce(Finding(.accessBeforeSync, handle: handle, "device touched a linked granule before dma_iova_sync covered it"))
        case .permission:
            outcome.addOnce(Finding(.directionViolation, handle: handle, "device access against the mapping's direction: IOMMU permission fault"))
        case .notPresent:
            if case .state(let index)? = owner, states[index].isLive, states[index].unlinkedGranules.contains(granule) {
                outcome.addOnce(Finding(.useAfterUnlink, handle: states[index].handle, "device access after dma_iova_unlink"))
            }
        case .busError:
            return
        }
    }

    /// A cached translation that no longer matches the page table was used. The message
    /// names the op that filled the entry and the one that cleared the PTE under it.
    private func noteStaleHit(_ owner: IOVAOwner?, iova: UInt64, provenance: IOTLB.Provenance, into outcome: inout Outcome) {
        if case .state(let index)? = owner, !states[index].isLive { return }  // already named by noteDeadOwner
        if case .mapping(let index)? = owner, mappings[index].life == .unmapped { return }
        outcome.addOnce(Finding(.staleIOTLBHit, handle: owner.map(ownerName),
            "device used a stale IOTLB entry for iova 0x\(hex(iova)): the page table no longer maps it, "
                + "so the access went through a translation the IOTLB should have dropped" + provenance.staleHitClause))
    }

    /// Without an IOMMU nothing stops a write to a TO_DEVICE buffer: the checker must.
    private func noteDirectMappingMisuse(_ mapping: StreamingMappingRecord, access: inout DeviceAccess) {
        guard mapping.life == .mapped else { return }
        let allowed = access.isWrite ? mapping.direction.deviceMayWrite : mapping.direction.deviceMayRead
        if !allowed {
            access.outcome.addOnce(Finding(.directionViolation, handle: mapping.handle,
                "device \(access.isWrite ? "write to" : "read of") a \(mapping.direction.rawValue) mapping; no IOMMU stops it"))
        }
    }
}

/// One granule's translation: the leaf PTE of its page (from the IOTLB, `stale` when the
/// page table no longer agrees) or the fault the IOMMU raises.
enum Translation {
    /// `stale`: the provenance of a cached page the page table no longer agrees with.
    case hit(PageLeaf, stale: IOTLB.Provenance?)
    case fault(FaultKind)
}

/// The progress of one device access.
struct DeviceAccess {
    let device: DeviceRuntime
    let dmaAddress: UInt64
    let length: UInt64
    let fill: Fill?
    let namedOwner: IOVAOwner?
    /// The state or mapping the access goes through: the one its address names, else
    /// the last owner of the IOVA.
    var owner: IOVAOwner?
    var done: UInt64 = 0
    var hasher = XXH64()
    var outcome = Outcome()

    init(device: DeviceRuntime, dmaAddress: UInt64, length: UInt64, fill: Fill?, namedOwner: IOVAOwner?) {
        self.device = device; self.dmaAddress = dmaAddress; self.length = length; self.fill = fill; self.namedOwner = namedOwner
        owner = namedOwner
    }

    var isWrite: Bool { fill != nil }
    var cursor: UInt64 { dmaAddress &+ done }
    var remaining: UInt64 { length - done }

    mutating func advance(phys: UInt64, count: UInt64) {
        if let last = outcome.touched.last, last.phys + last.length == phys {
            outcome.touched[outcome.touched.count - 1].length += count
        } else {
            outcome.touched.append(PhysRange(phys: phys, length: count))
        }
        done += count
    }

    mutating func fault(_ kind: FaultKind, at address: UInt64) {
        outcome.status = .fault(Fault(kind: kind, address: address, isWrite: isWrite))
    }

    func finish() -> Outcome {
        var result = outcome
        if !isWrite, case .ok = result.status { result.digest = hasher.finalize() }
        return result
    }
}

extension Outcome {
    /// Adds a finding unless this op already reported the same class for the same handle.
    mutating func addOnce(_ finding: Finding) {
        if !findings.contains(where: { $0.misuse == finding.misuse && $0.handle == finding.handle }) {
            findings.append(finding)
        }
    }
}
