import DMASim

// Topology lines. What counts as a default is read from the DMASim specs' initialisers,
// the same place the parser takes it from.
extension ScriptPrinter {
    func topologyFields(of op: Op) -> [String?] {
        switch op.call {
        case .machine(let spec): return machineFields(spec)
        case .region(let spec): return regionFields(spec)
        case .iommu(let spec): return iommuFields(spec)
        case .device(let spec): return deviceFields(spec)
        case .swiotlb(let spec): return swiotlbFields(spec)
        default: preconditionFailure("not a topology op: \(op.kind)")
        }
    }

    /// Every field is written: a reproducer says which kernel and machine it ran on; the
    /// dma-debug switch and the tick's phase when they are not the defaults.
    private func machineFields(_ spec: MachineSpec) -> [String?] {
        ["arch=" + spec.arch.rawValue, "kernel=" + spec.kernel.rawValue, "cpus=\(spec.cpuCount)", "hz=\(spec.hz)",
         spec.dmaDebug ? nil : "dma-debug=off", spec.tickPhase == 0 ? nil : "tick-phase=" + DurationText.text(of: spec.tickPhase)]
    }

    private func regionFields(_ spec: RegionSpec) -> [String?] {
        [spec.name, hex("base", spec.base), size("size", spec.sizeBytes), "kind=" + spec.kind.rawValue]
    }

    /// Mode, granule and aperture are always written: they are what a reader looks for.
    /// Page sizes only when not the granule's default.
    private func iommuFields(_ spec: IOMMUSpec) -> [String?] {
        let defaults = IOMMUSpec(name: spec.name)
        let defaultPageSizes = PageSizes.defaultBitmap(granuleBytes: spec.granuleBytes)
        return [
            spec.name, "mode=" + spec.mode.rawValue, size("granule", spec.granuleBytes),
            spec.pageSizes == defaultPageSizes ? nil : "page-sizes=" + PageSizesSyntax.text(of: spec.pageSizes),
            "aperture-bits=\(spec.apertureBits)", flag("needs-sync-map", spec.needsSyncMap),
            spec.flushQueueSlots == defaults.flushQueueSlots ? nil : "fq-size=\(spec.flushQueueSlots)",
            spec.explicitFlushTimer ? "fq-timer=explicit" : nil,
            flag("forcedac", spec.forceDAC),
            spec.reservedRanges.isEmpty ? nil : "reserve=" + RangeListSyntax.text(of: spec.reservedRanges),
        ]
    }

    /// DMA width and coherence are always written; bus and group only when not the default.
    private func deviceFields(_ spec: DeviceSpec) -> [String?] {
        let defaults = DeviceSpec(name: spec.name, iommu: spec.iommu)
        return [
            spec.name, "iommu=" + (spec.iommu ?? "none"), "dma-bits=\(spec.dmaBits)",
            spec.coherent ? "coherent" : "noncoherent", flag("untrusted", spec.untrusted),
            spec.bus == defaults.bus ? nil : "bus=" + spec.bus.rawValue,
            spec.group.map { "group=" + $0 },
            spec.minAlignMask == defaults.minAlignMask ? nil : hex("min-align-mask", spec.minAlignMask),
        ]
    }

    private func swiotlbFields(_ spec: SwiotlbSpec) -> [String?] {
        if spec.isNoForce { return ["noforce"] }
        return [
            size("size", spec.sizeBytes),
            spec.base == SwiotlbSpec.defaultBase ? nil : hex("base", spec.base),
            flag("force", spec.force),
        ]
    }
}
