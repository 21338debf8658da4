import DMASim

extension WorkloadOptions {
    /// Throws for options no workload can honour. Device DMA masks must be at least 32
    /// bits: below that the IOVA space is too small for realistic requests, and the
    /// generator, which cannot see outcomes, must know try_alloc succeeds.
    func validate() throws(WorkloadError) {
        guard opCount >= 0 else { throw .invalidOption("ops must not be negative, got \(opCount)") }
        if let deviceCount, !(1...64).contains(deviceCount) {
            throw .invalidOption("devices must be 1 to 64, got \(deviceCount)")
        }
        guard (64 << 20...1 << 50).contains(regionSizeBytes), regionSizeBytes % (2 << 20) == 0 else {
            throw .invalidOption("region size must be a multiple of 2 MiB from 64 MiB to 1 PiB, got \(regionSizeBytes)")
        }
        if let granuleBytes, ![4096, 16384, 65536].contains(granuleBytes) {
            throw .invalidOption("granule must be 4K, 16K or 64K, got \(granuleBytes)")
        }
        if let dmaBits, !(32...64).contains(dmaBits) {
            throw .invalidOption("dma-bits must be 32 to 64, got \(dmaBits)")
        }
        if let swiotlbBytes, let problem = SwiotlbSpec.sizeProblem(swiotlbBytes) {
            throw .invalidOption("\(problem), got \(swiotlbBytes)")
        }
        if let inFlightPerDevice, !(1...64).contains(inFlightPerDevice) {
            throw .invalidOption("requests in flight per device must be 1 to 64, got \(inFlightPerDevice)")
        }
    }

    /// The bounce pool the stream declares: the workload's own, resized or forced by
    /// `--swiotlb` / `--swiotlb-force`, or one of the kernel's default size
    /// (`CONFIG_SWIOTLB_DEFAULT_SIZE_MB`) when only those ask for one.
    func swiotlb(default template: SwiotlbSpec?) -> SwiotlbSpec? {
        guard swiotlbBytes != nil || swiotlbForce else { return template }
        var spec = template ?? SwiotlbSpec(sizeBytes: SwiotlbSpec.defaultSizeBytes)
        spec.sizeBytes = swiotlbBytes ?? spec.sizeBytes
        spec.force = spec.force || swiotlbForce
        return spec
    }

    /// The device with the topology overrides applied: mode, needs-sync-map and granule
    /// on its IOMMU (if it has one), DMA mask and requests in flight on the device.
    func applyOverrides(to device: DeviceProfile) -> DeviceProfile {
        var device = device
        if var iommu = device.iommu {
            iommu.mode = iommuMode ?? iommu.mode
            iommu.needsSyncMap = needsSyncMap ?? iommu.needsSyncMap
            if let granuleBytes { iommu.changeGranule(to: granuleBytes) }
            device.iommu = iommu
        }
        device.spec.dmaBits = dmaBits ?? device.spec.dmaBits
        device.inFlight = inFlightPerDevice ?? device.inFlight
        return device
    }
}
