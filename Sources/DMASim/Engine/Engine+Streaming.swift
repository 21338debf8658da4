/// The streaming fallback: `dma_map_phys` / `dma_unmap_phys` (kernel/dma/mapping.c),
/// dispatched to `iommu_dma_map_phys` (Engine+StreamingIOMMU) or dma-direct
/// (Engine+StreamingDirect), with dma-debug's bookkeeping (Engine+DMADebug).
extension Engine {
    /// `dma_map_phys(dev, phys, size, dir, attrs)`.
    func map(_ call: MapOp) -> Outcome {
        device(named: call.device).orReject { device in
            guard call.direction != .none else { return bugOnInvalidDirection("dma_map_phys", handle: call.mapping) }
            var outcome = Outcome()
            let index = mappings.nextSlot
            let result: StreamingMapResult
            if !device.spec.coherent && call.attributes.contains(.requireCoherent) {
                // dma_map_phys(): a non-coherent device cannot honour REQUIRE_COHERENT.
                result = .failed
            } else if device.domain != nil && call.attributes.contains(.ccShared) {
                // dma_map_phys() (7.1+): CC_SHARED memory is for dma-direct only; the
                // IOMMU path is not taken.
                result = .failed
            } else if let domain = device.domain {
                result = iommuMap(call, device: device, domain: domain, owner: .mapping(index), outcome: &outcome)
            } else {
                result = directMap(call, device: device, outcome: &outcome)
            }
            // The call never returned: no address, no dma-debug entry, no record; the
            // handle names nothing (a later call through it is rejected).
            if case .oops = result { return outcome }
            let mapped = result.mapped
            let dmaAddress = mapped?.dmaAddress ?? StreamingMappingRecord.mappingErrorAddress
            var record = StreamingMappingRecord(
                handle: call.mapping, device: call.device, serial: mappings.takeSerial(), dmaAddress: dmaAddress, phys: call.phys, length: call.length,
                direction: call.direction, attributes: call.attributes, life: mapped == nil ? .failed : .mapped,
                throughIOMMU: device.domain != nil)
            record.bounceAddress = mapped?.bounceAddress
            record.tracked = device.needsUnmap(dmaDebug: machine.dmaDebug)
            let slot = insertMapping(record)
            precondition(slot == index, "the mapping's owner span names another slot")
            outcome.address = dmaAddress
            guard mapped != nil else {
                noteMayRetire(.mapping(index))
                outcome.status = .mappingError
                return outcome
            }
            guard mappings[index].tracked else { return outcome }
            debugCheckMMIOOnRAM(call, into: &outcome)
            debugDMAMap(call, into: &outcome)
            addDebugEntry(index)
            noteDeviceOwns(mapping: index)
            return outcome
        }
    }

    /// `dma_unmap_phys(dev, addr, size, dir, attrs)` with dma-debug's `check_unmap()`.
    func unmap(_ call: UnmapOp) -> Outcome {
        guard let index = mappingSlot(of: call.mapping) else {
            return .rejected("unknown mapping \(call.mapping) (no map declared it)")
        }
        return device(named: mappings[index].device).orReject { device in
            guard call.direction != .none else { return bugOnInvalidDirection("dma_unmap_phys", handle: call.mapping) }
            // dma_unmap_phys() (7.1+): CC_SHARED never takes the IOMMU path; it returns
            // before iommu_dma_unmap_phys() and before dma-debug's check_unmap(), so an
            // IOMMU mapping stays mapped and its entry stays.
            if device.domain != nil && call.attributes.contains(.ccShared) { return .ok }
            var outcome = Outcome()
            guard checkUnmap(index, call, into: &outcome) else { return outcome }
            // A mapping made while dma_need_unmap() was false: no dma-debug, no entry.
            if mappings[index].tracked { debugCheckUnmap(index, call, into: &outcome) }
            if mappings[index].life == .mapped && mappings[index].tracked { releaseOwnership(ofMapping: index) }
            let dmaAddress = mappings[index].dmaAddress
            if let domain = device.domain {
                iommuUnmap(dmaAddress, call, device: device, domain: domain, outcome: &outcome)
            } else {
                directUnmap(dmaAddress, call, device: device, outcome: &outcome)
            }
            mappings[index].life = .unmapped
            noteMayRetire(.mapping(index))
            return outcome
        }
    }

    /// `dma_sync_single_for_{cpu,device}(dev, addr + off, size, dir)`, checked as
    /// dma-debug's `check_sync()` does.
    func syncSingle(_ call: StreamingSyncOp, forDevice: Bool) -> Outcome {
        guard let index = mappingSlot(of: call.mapping) else {
            return .rejected("unknown mapping \(call.mapping) (no map declared it)")
        }
        return device(named: mappings[index].device).orReject { device in
            if call.direction == .none {
                // A device that skips syncs never gets past the inline wrapper.
                guard syncReachesKernel(device) else { return .ok }
                return bugOnInvalidDirection(forDevice ? "__dma_sync_single_for_device" : "__dma_sync_single_for_cpu",
                                             handle: call.mapping)
            }
            var outcome = Outcome()
            // A sync of a mapping that is gone has no address to act on here; the
            // kernel's cache maintenance at a stale address is not modelled.
            guard checkSync(index, call, forDevice: forDevice, into: &outcome) else { return outcome }
            let dmaAddress = mappings[index].dmaAddress &+ call.offset
            if let domain = device.domain {
                iommuSync(dmaAddress, call, forDevice: forDevice, device: device, domain: domain, outcome: &outcome)
            } else {
                directSync(dmaAddress, call, forDevice: forDevice, device: device, outcome: &outcome)
            }
            noteOwnershipMoves(mapping: index, offset: call.offset, length: call.length, toCPU: !forDevice)
            return outcome
        }
    }

    /// `dma_mapping_error(dev, addr)`: -ENOMEM for `DMA_MAPPING_ERROR`; marks the
    /// dma-debug entry CHECKED.
    func checkMappingError(_ call: MappingErrorOp) -> Outcome {
        guard let index = mappingSlot(of: call.mapping) else {
            return .rejected("unknown mapping \(call.mapping) (no map declared it)")
        }
        mappings[index].errorChecked = true
        return mappings[index].life == .failed ? Outcome(status: .errno(.ENOMEM)) : .ok
    }
}

/// What a successful streaming map returns: the DMA address, and the bounce slot when
/// the buffer was bounced.
struct StreamingMap {
    var dmaAddress: UInt64
    var bounceAddress: UInt64?
}

/// How a streaming map ended: mapped, `DMA_MAPPING_ERROR`, or an oops inside it.
enum StreamingMapResult {
    case mapped(StreamingMap)
    case failed
    case oops

    var mapped: StreamingMap? {
        if case .mapped(let map) = self { return map }
        return nil
    }

    /// A bounce that gave no slot ends the map the same way.
    init?(stoppedBy bounce: BounceResult) {
        switch bounce {
        case .slot: return nil
        case .failed: self = .failed
        case .oops: self = .oops
        }
    }
}
