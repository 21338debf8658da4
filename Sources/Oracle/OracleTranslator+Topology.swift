import DMASim
import OpScript

/// The guest's machine from the script's topology lines. One guest has one IOMMU for all
/// its PCI devices (QEMU's q35 with intel-iommu, or virtio-iommu); each script IOMMU's mode
/// becomes its devices' IOMMU group type (DMA for strict, DMA-FQ for lazy, identity for
/// passthrough), set through sysfs before the driver binds; each script device becomes one
/// `edu`. What the guest cannot mirror is named, per device.
extension PlanBuilder {
    mutating func buildTopology() {
        var devices: [DeviceSpec] = []
        for line in script.lines {
            switch line.op.call {
            case .machine(let spec): machine = spec
            case .region(let spec): regions.append(spec)
            case .iommu(let spec): iommus[spec.name] = spec
            case .device(let spec): devices.append(spec)
            case .swiotlb(let spec): swiotlb = spec
            default: break
            }
        }
        guard !devices.isEmpty else {
            plan.scriptSkip = "no device: nothing for the kernel to do"
            return
        }
        if let why = unmirrorable(machine) {
            plan.scriptSkip = why
            return
        }
        chooseIOMMUKind(devices)
        chooseAddressWidth(devices)
        placeDevices(devices)
        configureSwiotlb(devices)
        configureForceDAC()
        if deviceByName.isEmpty {
            let reasons = Set(skippedDevices.values).sorted().joined(separator: "; ")
            plan.scriptSkip = "no device the guest can mirror (\(reasons))"
        }
    }

    /// virtio-iommu when every IOMMU with devices needs `iotlb_sync_map` (QEMU's virtio-iommu
    /// only sees a mapping once the MAP request is sent, at the sync), intel-iommu when none
    /// does; no IOMMU when every device is `iommu=none`.
    private mutating func chooseIOMMUKind(_ devices: [DeviceSpec]) {
        let used = Set(devices.compactMap(\.iommu)).compactMap { iommus[$0] }
        if used.isEmpty {
            plan.guest.iommu = .none
        } else if used.allSatisfy(\.needsSyncMap) {
            plan.guest.iommu = .virtio
            plan.guest.modules = ["virtio_iommu"]
        } else {
            plan.guest.iommu = .intel
        }
    }

    /// intel-iommu's aw-bits (39 or 48), chosen so that as many devices as can have the
    /// script's IOVA limit, min(DMA mask, aperture) in `iommu_dma_alloc_iova`. Whatever the
    /// guest has, the model is told (`ModelSide.GuestTopology`): QEMU 7.2 offers 39 or 48 bits
    /// on intel-iommu and a 64-bit input range on virtio-iommu.
    private mutating func chooseAddressWidth(_ devices: [DeviceSpec]) {
        guard plan.guest.iommu == .intel else { return }
        func fits(_ width: Int) -> Int {
            devices.filter { device in
                guard let name = device.iommu, let spec = iommus[name], spec.mode != .passthrough else { return false }
                return min(device.dmaBits, spec.apertureBits) == min(device.dmaBits, width)
            }.count
        }
        plan.guest.addressWidthBits = fits(48) >= fits(39) ? 48 : 39
    }

    private mutating func placeDevices(_ devices: [DeviceSpec]) {
        var slotOfGroup: [String: (slot: Int, functions: Int)] = [:]
        var nextSlot = 0x10
        var bypassPorts = 0
        for device in devices {
            if let why = unmirrorable(device) {
                skippedDevices[device.name] = why
                continue
            }
            let address: String
            if device.iommu == nil, plan.guest.iommu != .none {
                guard bypassPorts < 8 else {
                    skippedDevices[device.name] = "more than 8 devices without an IOMMU beside IOMMU devices"
                    continue
                }
                address = "bypass:\(bypassPorts).0"
                bypassPorts += 1
            } else if let group = device.group, let iommu = device.iommu, let used = slotOfGroup[iommu + "/" + group] {
                guard used.functions < 8 else {
                    skippedDevices[device.name] = "group \(group) has more than 8 devices (functions of one PCI slot)"
                    continue
                }
                address = String(used.slot, radix: 16) + "." + String(used.functions)
                slotOfGroup[iommu + "/" + group] = (used.slot, used.functions + 1)
            } else {
                address = String(nextSlot, radix: 16) + ".0"
                if let group = device.group, let iommu = device.iommu { slotOfGroup[iommu + "/" + group] = (nextSlot, 1) }
                nextSlot += 1
            }
            let type: String? = device.iommu.flatMap { iommus[$0] }.map { spec in
                // iommu_get_default_domain_type(): an untrusted device's group is DMA, unless
                // it became untrusted after (untrusted-at-probe: the module sets the flag).
                if device.forcesDMADomain { return "DMA" }
                switch spec.mode {
                case .strict: return "DMA"
                case .lazy: return "DMA-FQ"
                case .passthrough: return "identity"
                }
            }
            let plannedDevice = DevicePlan(
                index: plan.devices.count, name: device.name, pciAddress: address, dmaBits: device.dmaBits,
                untrusted: device.untrusted, domainType: type, iommu: device.iommu, minAlignMask: device.minAlignMask)
            plan.devices.append(plannedDevice)
            deviceByName[device.name] = plannedDevice
        }
    }

    /// The guest is Debian's 7.3.4 for x86-64, CONFIG_HZ=250, one vCPU (ops on other CPUs
    /// are skipped one by one).
    private func unmirrorable(_ machine: MachineSpec) -> String? {
        if machine.arch != .x86_64 { return "arch=\(machine.arch.rawValue): the guest is x86-64" }
        if machine.kernel != .v7_3 { return "kernel=\(machine.kernel.rawValue): the guest runs 7.3.4" }
        if machine.hz != 250 { return "hz=\(machine.hz): the guest's kernel has CONFIG_HZ=250" }
        return nil
    }

    /// Why the guest cannot give this device what the script says; nil when it can.
    private func unmirrorable(_ device: DeviceSpec) -> String? {
        if device.bus == .platform { return "bus=platform: edu is a PCI device" }
        if !device.coherent { return "noncoherent: DMA on x86 is cache-coherent, there is no cache maintenance to observe" }
        guard let name = device.iommu else { return nil }
        guard let spec = iommus[name] else { return "iommu \(name) is not declared" }
        if spec.granuleBytes != 4096 { return "granule \(spec.granuleBytes / 1024)K: x86 IOMMUs map 4 KiB pages" }
        if spec.flushQueueSlots != 256 { return "fq-size=\(spec.flushQueueSlots): the kernel's flush queue has 256 slots" }
        // QEMU's VT-d advertises 2 MiB and 1 GiB second-stage pages (cap SLLPS 0b11), so the
        // guest's domain has pgsize_bitmap 4K|2M|1G, the model's default.
        if plan.guest.iommu == .intel && spec.pageSizes != PageSizes.defaultBitmap(granuleBytes: 4096) {
            return "page-sizes other than 4K,2M,1G: the guest's VT-d maps 4K|2M|1G"
        }
        if !spec.reservedRanges.isEmpty {
            return "reserve=: the guest reserves only what its firmware and PCI host bridge declare"
        }
        if spec.needsSyncMap != (plan.guest.iommu == .virtio) {
            return spec.needsSyncMap ? "needs-sync-map beside an IOMMU without it: one guest has one kind of IOMMU"
                : "an IOMMU without needs-sync-map beside one with it: one guest has one kind of IOMMU"
        }
        if device.forcesDMADomain && spec.mode != .strict {
            return "untrusted with mode=\(spec.mode.rawValue): the kernel gives an untrusted device a strict DMA domain"
        }
        return nil
    }

    /// `swiotlb size=N` is `swiotlb=N/2K slabs,force`: a 1 GiB guest makes no pool otherwise.
    /// dma-iommu ignores `force` (it bounces only untrusted devices' unaligned ranges), so
    /// devices behind an IOMMU see exactly the script's pool; a dma-direct device would see
    /// `force` bounce every map, so without the script's `force` it is not mirrored.
    /// `swiotlb noforce` is the guest's `swiotlb=noforce` as it is.
    /// Without a `swiotlb` line the model makes the pool the kernel would
    /// (`pci_swiotlb_detect()`: RAM past 4 GiB), which the 1 GiB guest would not: the guest
    /// is given the model's pool the same way, with `force`, and dma-direct devices are
    /// not mirrored (force would bounce their every map).
    private mutating func configureSwiotlb(_ devices: [DeviceSpec]) {
        guard let spec = swiotlb else {
            let engine = Engine()
            for line in script.lines where line.op.kind.isTopology { _ = engine.apply(line.op) }
            guard let pool = engine.bootSwiotlbPool else { return }
            plan.guest.bootSwiotlb = pool
            plan.guest.kernelArguments.append("swiotlb=\(pool.sizeBytes / 2048),force")
            plan.notes.append("the model's boot makes a \(pool.sizeBytes >> 20) MiB swiotlb pool (RAM past 4 GiB: pci_swiotlb_detect()); "
                + "the guest gets one with swiotlb=\(pool.sizeBytes / 2048),force")
            for device in plan.devices where device.isDirect {
                skip(device: device.name, "the model's boot swiotlb pool: the guest makes one only with swiotlb=force, which would bounce every dma-direct map")
            }
            return
        }
        guard !spec.isNoForce else {
            plan.guest.kernelArguments.append("swiotlb=noforce")
            return
        }
        plan.guest.kernelArguments.append("swiotlb=\(spec.sizeBytes / 2048),force")
        guard !spec.force else { return }
        for device in plan.devices where device.isDirect {
            skip(device: device.name, "a swiotlb pool without force for dma-direct: the guest makes a pool only with swiotlb=force, which would bounce every map")
        }
    }

    private mutating func configureForceDAC() {
        let used = Set(plan.devices.compactMap(\.iommu)).compactMap { iommus[$0] }
        let forced = used.filter(\.forceDAC)
        guard !forced.isEmpty else { return }
        if forced.count == used.count {
            plan.guest.kernelArguments.append("iommu.forcedac=1")
        } else {
            for device in plan.devices where !(device.iommu.flatMap { iommus[$0] }?.forceDAC ?? false) {
                skip(device: device.name, "forcedac on another IOMMU: iommu.forcedac=1 is one switch for the guest")
            }
        }
    }

    /// Takes a placed device back out.
    mutating func skip(device name: String, _ why: String) {
        skippedDevices[name] = why
        deviceByName[name] = nil
        plan.devices.removeAll { $0.name == name }
        for index in plan.devices.indices { plan.devices[index].index = index }
        for device in plan.devices { deviceByName[device.name] = device }
    }
}
