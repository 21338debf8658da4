/// The streaming fallback: `dma_map_phys` / `dma_unmap_phys` (kernel/dma/mapping.c),
/// through `iommu_dma_map_phys` or dma-direct, with dma-debug's bookkeeping.
extension Engine {
    /// `dma_map_phys(dev, phys, size, dir, attrs)`.
    func map(_ call: MapOp) -> Outcome {
        device(named: call.device).orReject { device in
            // BUG_ON(!valid_dma_direction(dir))
            guard call.direction != .none else { return .rejected("dma_map_phys with DMA_NONE: BUG_ON(!valid_dma_direction(dir))") }
            var outcome = Outcome()
            let index = mappings.count
            let dmaAddress: UInt64?
            if let domain = device.domain {
                dmaAddress = iommuMap(call, device: device, domain: domain, owner: .mapping(index), outcome: &outcome)
            } else {
                dmaAddress = directMap(call, device: device, outcome: &outcome)
            }
            mappings.append(StreamingMappingRecord(
                handle: call.mapping, device: call.device, dmaAddress: dmaAddress ?? StreamingMappingRecord.mappingErrorAddress,
                phys: call.phys, length: call.length, direction: call.direction, attributes: call.attributes,
                life: dmaAddress == nil ? .failed : .mapped, throughIOMMU: device.domain != nil))
            mappingIndexOfHandle[call.mapping] = index
            outcome.address = dmaAddress ?? StreamingMappingRecord.mappingErrorAddress
            if dmaAddress == nil { outcome.status = .mappingError }
            return outcome
        }
    }

    /// `iommu_dma_map_phys()` → `__iommu_dma_map()`: allocate `iova_align(size + off)`,
    /// `iommu_map()` (nosync plus sync_map, so visible at once), return `iova + off`.
    private func iommuMap(_ call: MapOp, device: DeviceRuntime, domain: DMADomain, owner: IOVAOwner, outcome: inout Outcome) -> UInt64? {
        let granule = domain.granule
        if needsSwiotlb(device, length: call.length, direction: call.direction) && !granule.isAligned(call.phys | call.length) {
            outcome.warnings.append("swiotlb bounce for dma_map_phys is not modelled yet; mapped in place")
        }
        noteCacheClean(device, phys: call.phys, length: call.length, attributes: call.attributes, into: &outcome)
        let pad = granule.offset(call.phys)
        let sizeBytes = granule.alignUp(call.length + pad)
        let iova = domain.allocIOVA(sizeBytes: sizeBytes, dmaMask: device.spec.dmaMask, device: device, outcome: &outcome)
        guard iova != 0 else { return nil }
        let prot = IOMMUProt(direction: call.direction, coherent: device.spec.coherent, attributes: call.attributes)
        if domain.mapNoSync(iova: iova, phys: call.phys - pad, sizeBytes: sizeBytes, prot: prot, outcome: &outcome) != nil {
            domain.freeIOVA(iova: iova, sizeBytes: sizeBytes, queued: false, outcome: &outcome)
            return nil
        }
        domain.syncMap(iova: iova, sizeBytes: sizeBytes, outcome: &outcome)
        domain.owners.assign(first: iova, last: iova + sizeBytes - 1, to: owner)
        outcome.ranges = [MappedRange(iova: iova, phys: call.phys - pad, length: sizeBytes, prot: prot, bounced: false)]
        return iova + pad
    }

    /// `dma_direct_map_phys()`: the bus address is the physical address; a device that
    /// cannot reach it gets `DMA_MAPPING_ERROR` with the "overflow" dev_WARN when there is
    /// no swiotlb to bounce through.
    private func directMap(_ call: MapOp, device: DeviceRuntime, outcome: inout Outcome) -> UInt64? {
        let (last, overflow) = call.phys.addingReportingOverflow(max(call.length, 1) - 1)
        if overflow || last > device.spec.dmaMask {
            outcome.warnings.append(
                "\(device.spec.name): DMA addr 0x\(hex(call.phys))+\(call.length) overflow (mask \(hex(device.spec.dmaMask)), bus limit 0).")
            return nil
        }
        noteCacheClean(device, phys: call.phys, length: call.length, attributes: call.attributes, into: &outcome)
        let prot = IOMMUProt(direction: call.direction, coherent: device.spec.coherent, attributes: call.attributes)
        outcome.ranges = [MappedRange(iova: call.phys, phys: call.phys, length: call.length, prot: prot, bounced: false)]
        return call.phys
    }

    /// `dma_unmap_phys(dev, addr, size, dir, attrs)` with dma-debug's `check_unmap()`.
    func unmap(_ call: UnmapOp) -> Outcome {
        guard let index = mappingIndexOfHandle[call.mapping] else {
            return .rejected("unknown mapping \(call.mapping) (no map declared it)")
        }
        return device(named: mappings[index].device).orReject { device in
            var outcome = Outcome()
            guard checkUnmap(index, call, into: &outcome) else { return outcome }
            if let domain = device.domain {
                iommuUnmap(mappings[index].dmaAddress, length: call.length, attributes: call.attributes,
                           device: device, domain: domain, outcome: &outcome)
            } else if !device.spec.coherent && !call.attributes.contains(.skipCPUSync) {
                outcome.events.append(SideEvent(.cacheInvalidate, address: mappings[index].phys, length: call.length))
            }
            mappings[index].life = .unmapped
            return outcome
        }
    }

    /// dma-debug `check_unmap()`: returns false when the unmap must stop (an invalid
    /// address never reaches the IOMMU).
    private func checkUnmap(_ index: Int, _ call: UnmapOp, into outcome: inout Outcome) -> Bool {
        let mapping = mappings[index]
        switch mapping.life {
        case .failed:
            outcome.findings.append(Finding(.unmapOfMappingError, handle: call.mapping,
                "device driver tries to free an invalid DMA memory address"))
            return false
        case .unmapped:
            outcome.findings.append(Finding(.unmapNotMapped, handle: call.mapping,
                "device driver tries to free DMA memory it has not allocated [device address=0x\(hex(mapping.dmaAddress))] [size=\(call.length) bytes]"))
            return true
        case .mapped:
            noteUnmapMismatches(mapping, call, into: &outcome)
            return true
        }
    }

    private func noteUnmapMismatches(_ mapping: StreamingMappingRecord, _ call: UnmapOp, into outcome: inout Outcome) {
        let place = "[device address=0x\(hex(mapping.dmaAddress))]"
        if call.length != mapping.length {
            outcome.findings.append(Finding(.unmapSizeMismatch, handle: call.mapping,
                "device driver frees DMA memory with different size \(place) [map size=\(mapping.length) bytes] [unmap size=\(call.length) bytes]"))
        }
        if call.direction != mapping.direction {
            outcome.findings.append(Finding(.unmapDirectionMismatch, handle: call.mapping,
                "device driver frees DMA memory with different direction \(place) [mapped with \(mapping.direction.rawValue)] [unmapped with \(call.direction.rawValue)]"))
        }
        if !mapping.errorChecked {
            outcome.findings.append(Finding(.mapErrorUnchecked, handle: call.mapping,
                "device driver failed to check map error \(place) [size=\(mapping.length) bytes]"))
        }
    }

    /// `iommu_dma_unmap_phys()` → `__iommu_dma_unmap()`.
    private func iommuUnmap(_ dmaAddress: UInt64, length: UInt64, attributes: DMAAttributes, device: DeviceRuntime,
                            domain: DMADomain, outcome: inout Outcome) {
        let phys = domain.iovaToPhys(dmaAddress)
        guard phys != 0 else {
            outcome.warnings.append("WARN_ON(!phys): nothing mapped at dma address 0x\(hex(dmaAddress))")
            return
        }
        noteCacheInvalidate(device, phys: phys, length: length, attributes: attributes, into: &outcome)
        let pad = domain.granule.offset(dmaAddress)
        let iova = dmaAddress - pad
        let sizeBytes = domain.granule.alignUp(length + pad)
        let queued = domain.usesFlushQueue
        let unmapped = domain.unmap(iova: iova, sizeBytes: sizeBytes)
        if unmapped != sizeBytes {
            outcome.warnings.append("WARN_ON(unmapped != size): unmapped 0x\(hex(unmapped)) of 0x\(hex(sizeBytes)) at iova 0x\(hex(iova))")
            outcome.events.append(SideEvent(.kernelWarning, address: iova, length: sizeBytes))
        }
        if !queued { domain.iotlbSync(iova: iova, sizeBytes: unmapped, outcome: &outcome) }
        domain.freeIOVA(iova: iova, sizeBytes: sizeBytes, queued: queued, outcome: &outcome)
    }

    /// `dma_sync_single_for_{cpu,device}()`: cache maintenance for non-coherent devices.
    func syncSingle(_ call: StreamingSyncOp, forDevice: Bool) -> Outcome {
        guard let index = mappingIndexOfHandle[call.mapping] else {
            return .rejected("unknown mapping \(call.mapping) (no map declared it)")
        }
        return device(named: mappings[index].device).orReject { device in
            var outcome = Outcome()
            let phys = mappings[index].phys &+ call.offset
            if forDevice {
                noteCacheClean(device, phys: phys, length: call.length, attributes: [], into: &outcome)
            } else if call.direction != .toDevice {
                noteCacheInvalidate(device, phys: phys, length: call.length, attributes: [], into: &outcome)
            }
            return outcome
        }
    }

    /// `dma_mapping_error(dev, addr)`: -ENOMEM for `DMA_MAPPING_ERROR`; marks the
    /// dma-debug entry CHECKED.
    func checkMappingError(_ call: MappingErrorOp) -> Outcome {
        guard let index = mappingIndexOfHandle[call.mapping] else {
            return .rejected("unknown mapping \(call.mapping) (no map declared it)")
        }
        mappings[index].errorChecked = true
        return mappings[index].life == .failed ? Outcome(status: .errno(.ENOMEM)) : .ok
    }

    func noteCacheClean(_ device: DeviceRuntime, phys: UInt64, length: UInt64, attributes: DMAAttributes, into outcome: inout Outcome) {
        guard !device.spec.coherent, !attributes.contains(.skipCPUSync) else { return }
        outcome.events.append(SideEvent(.cacheClean, address: phys, length: length))
    }

    func noteCacheInvalidate(_ device: DeviceRuntime, phys: UInt64, length: UInt64, attributes: DMAAttributes, into outcome: inout Outcome) {
        guard !device.spec.coherent, !attributes.contains(.skipCPUSync) else { return }
        outcome.events.append(SideEvent(.cacheInvalidate, address: phys, length: length))
    }
}
