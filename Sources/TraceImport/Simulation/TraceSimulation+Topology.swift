import OpScript
import DMASim
import Journal

/// The machine a trace ran on, declared as the ops first need it: the region and IOMMU
/// before the first op, each device before its first op.
extension TraceSimulation {
    /// The machine and the region that holds every physical address. The IOMMU comes
    /// with the first device behind it.
    func topologySteps() -> [Step] {
        declaredTopology = true
        let machine = machineSpec()
        cpuCount = machine.cpuCount
        note("DMA masks are 64 bits unless a device's first IOVA says less; devices are coherent PCI devices (x86)")
        note("every map is followed by the dma_mapping_error() check drivers make, which no trace shows")
        note("a device access names the mapping that covered its address in the kernel's IOVA space; of unknown length, it is \(Self.accessLength) bytes")
        var steps = [Step(op: .machine(machine), claims: [], record: nil)] + memoryRegions().map { Step(op: $0, claims: [], record: nil) }
        if let pool = swiotlbPool() { steps.append(Step(op: .swiotlb(pool), claims: [], record: nil)) }
        return steps
    }

    /// One `ram` region for every physical address; with `mem=` only the RAM below the
    /// limit is the kernel's, and above it a `shared` region: RAM with no `struct page`
    /// and no direct map, which a bounce cannot copy (`swiotlb_tbl_map_single()`).
    private func memoryRegions() -> [Op] {
        guard let limit = facts.memLimit, limit > 0, limit < Self.regionSize, limit % 4096 == 0 else {
            note("region \(Self.regionName) holds every physical address the trace names")
            return [.region(RegionSpec(name: Self.regionName, base: 0, sizeBytes: Self.regionSize, kind: .ram))]
        }
        note("region \(Self.regionName) holds the kernel's RAM below mem=0x\(String(limit, radix: 16)); region \(Self.hiddenRegionName), "
             + "kind shared, every physical address above it (outside the direct map)")
        return [.region(RegionSpec(name: Self.regionName, base: 0, sizeBytes: limit, kind: .ram)),
                .region(RegionSpec(name: Self.hiddenRegionName, base: limit, sizeBytes: Self.regionSize - limit, kind: .shared))]
    }

    /// The pool the log shows (`logPool()`), forced when the command line says
    /// `swiotlb=force`; under force without such a line, the default 64 MiB one.
    private func swiotlbPool() -> SwiotlbSpec? {
        let force = facts.swiotlbForce ?? false
        if let lab = labPool(force: force) { return lab }
        if var pool = logPool() {
            if force && !pool.isNoForce { pool.force = true; note("swiotlb=force on the command line: the pool bounces every dma-direct map") }
            return pool
        }
        guard force else { return nil }
        note("swiotlb pool of 64 MiB, force: the command line's swiotlb=force (the log does not say where the kernel put it)")
        return SwiotlbSpec(sizeBytes: SwiotlbSpec.defaultSizeBytes, force: true)
    }
    /// The swiotlb pool the log shows, declared before the first call as `swiotlb_init()`
    /// makes it at boot; nil leaves the pool the model would make. A pool the log shows only
    /// after the first call cannot be declared: `overflowClaims` then claims nothing.
    private func logPool() -> SwiotlbSpec? {
        let pool = facts.swiotlb
        let segment = Self.swiotlbSegmentBytes
        if let slot = pool.unreachableSlot {
            // The pool holds the slot swiotlb_map() handed out: declared from that slot on, every
            // slot sits where the device could not reach the first.
            let base = slot & ~4095
            let size = pool.mappedBytes.map { max(segment, $0 / segment * segment) } ?? segment
            declaredPool = .unreachable
            note("swiotlb pool at 0x\(String(base, radix: 16)), \(size >> 10) KiB: swiotlb_map() bounced into a slot there (swiotlb addr … overflow)")
            return SwiotlbSpec(sizeBytes: size, base: base)
        }
        if let base = pool.mappedBase, let bytes = pool.mappedBytes, !pool.tornDown, bytes >= segment, base & 4095 == 0 {
            declaredPool = .mapped
            note("swiotlb pool at 0x\(String(base, radix: 16)), \(bytes >> 20) MiB: the log's software IO TLB: mapped line")
            return SwiotlbSpec(sizeBytes: bytes / segment * segment, base: base)
        }
        if pool.tornDown || (pool.directOverflow && !pool.poolExisted) {
            declaredPool = .absent
            note(pool.tornDown ? "no swiotlb pool: the log shows swiotlb_exit() tearing it down"
                               : "no swiotlb pool: dma_direct_map_phys() reported a DMA address overflow rather than bounce (is_swiotlb_active() false)")
            return .noForce
        }
        return nil
    }

    /// `IO_TLB_SEGSIZE` slots of `IO_TLB_SIZE`: a pool is a whole number of them.
    static let swiotlbSegmentBytes: UInt64 = 128 * 2048

    /// What the kernel did for a map whose overflow report (dma-direct's `DMA addr …` or
    /// `swiotlb_map()`'s `swiotlb addr …`) depends on the pool: claimed when the topology
    /// declared the pool the report implies, nothing otherwise (the log showed it too late).
    func overflowClaims(naming: String) -> [Claim]? {
        switch naming {
        case "swiotlb_map":
            if declaredPool == .unreachable { return [.error(nil)] }
        case "dma_direct_map":
            // No pool, or one the device cannot reach: the map fails either way.
            if declaredPool == .absent || declaredPool == .unreachable { return [.error(nil)] }
        default:
            return nil
        }
        let sentence = "a map whose overflow report depends on a swiotlb pool the log showed only after its first call claims nothing"
        if !assumptions.contains(sentence) { note(sentence) }
        return []
    }

    /// The pool a lab capture's module reported (`pool_start`, `pool_nslabs`; none when 0),
    /// or none where dma-iommu found it inactive or the command line said `noforce`: the
    /// 1 GiB guest has a pool only under `swiotlb=force`, and it says where.
    private func labPool(force: Bool) -> SwiotlbSpec? {
        switch facts.labPool {
        case .pool(let base, let size)?:
            declaredPool = .mapped
            note("swiotlb pool of \(size >> 20) MiB at \(hexText(base))\(force ? ", force" : ""): \(facts.provenance.first { $0.contains("pool_nslabs") } ?? "the log")")
            return SwiotlbSpec(sizeBytes: size, base: base, force: force)
        case .none?:
            declaredPool = .absent
            note("no swiotlb pool (swiotlb noforce: the kernel made none): \(facts.provenance.first { $0.contains("pool") || $0.contains("swiotlb") } ?? "the log")")
            return .noForce
        case nil:
            return nil
        }
    }

    /// The machine the facts describe: its CPUs (`# cpus:`, ftrace's `#P:`), its kernel's
    /// DMA semantics (its release's, the nearest older one the model knows, 6.16 before it), an Arm machine when Arm SMMU reports
    /// appear. `CONFIG_HZ` is not in a trace: 250, Debian's (and the lab kernel's).
    private func machineSpec() -> MachineSpec {
        let arch: Architecture = armReports || facts.iommuKind == .armSMMU ? .arm64 : .x86_64
        var kernel = KernelVersion.v7_3
        if let release = facts.kernelRelease {
            let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
            if parts.count == 2 { kernel = KernelVersion.following(major: parts[0], minor: parts[1]) }
            note("kernel \(release): the model follows \(kernel.rawValue)'s DMA semantics")
        } else if cachelineOverlapReported, arch == .x86_64 {
            // add_dma_entry() of 7.x reports the overlap only when dma_get_cache_alignment() >=
            // L1_CACHE_BYTES, never on x86: a kernel that reported it there is older.
            kernel = .v6_16
            note("kernel 6.16's DMA semantics: dma-debug reported a cacheline overlap on x86, which 7.x's add_dma_entry() never does")
        }
        let cpus: Int
        if let count = facts.cpuCount {
            cpus = min(count, MachineSpec.maxCPUCount)
            note("\(cpus) CPU\(cpus == 1 ? "" : "s"): \(facts.provenance.first { $0.contains("CPU") } ?? "the trace's header")")
        } else {
            cpus = Self.defaultCPUCount
            note("\(cpus) CPUs: the trace does not say how many (no cpus: or #P: header); ops run on the CPU their line names")
        }
        note("HZ 250 (CONFIG_HZ is not in a trace; Debian's kernels and the lab's use 250)")
        let dmaDebug = facts.dmaDebug ?? dmaDebugReports
        note(dmaDebug ? "dma-debug is built in (the kernel log says so): every mapping is tracked"
                      : "dma-debug is not built in (CONFIG_DMA_API_DEBUG, off in distribution kernels; the log does not show it): "
                        + "dma_need_unmap() is false for a coherent dma-direct device, whose driver may never unmap")
        let spec = MachineSpec(arch: arch, kernel: kernel, cpuCount: cpus, hz: 250, dmaDebug: dmaDebug)
        modelRules = KernelRules(spec)
        return spec
    }

    /// CPUs of a machine whose trace does not say: enough for any CPU column a pasted trace shows.
    static let defaultCPUCount = 256

    /// The declaration of `device`, and of the IOMMU before it, when this is its first op.
    func declare(_ device: String, firstCall record: ImportedOp) -> [Step] {
        guard domainOfDevice[device] == nil else { return [] }
        var steps: [Step] = []
        let behindIOMMU = isBehindIOMMU(device, firstCall: record)
        let group = behindIOMMU ? groupName(of: device, firstCall: record) : nil
        let domain = group ?? device
        domainOfDevice[device] = domain
        var spec = DeviceSpec(name: device, iommu: behindIOMMU ? Self.iommuName : nil, group: group)
        if facts.untrustedDevices.contains(device) {
            spec.untrusted = true
            // iommu_get_default_domain_type() gives an untrusted device's group a DMA
            // domain; a DMA-FQ or identity group was chosen before the flag was set.
            let type = facts.group(of: device)?.type
            spec.untrustedAtProbe = type == "DMA-FQ" || type == "identity"
            note("\(device) is untrusted (pci_dev->untrusted): dma-iommu bounces its unaligned ranges"
                 + (spec.untrustedAtProbe ? "; its group's \(type!) domain was chosen before the flag was set (untrusted-at-probe)" : ""))
        }
        if let mask = facts.dmaMasks[device] {
            // dma_set_mask(): the capture gives it (a dma-direct device's mask decides
            // whether a swiotlb slot is reachable, swiotlb_map()'s "overflow").
            spec.dmaBits = mask.nonzeroBitCount
            note("\(device): dma-bits=\(spec.dmaBits), the mask the log gives it")
        }
        if let mask = facts.minAlignMasks[device] {
            spec.minAlignMask = mask
            if mask != 0 { note("\(device): min-align-mask=\(hexText(mask)) (dma_set_min_align_mask)") }
        }
        if behindIOMMU, let pid = record.provenance?.pid, facts.bouncingTasks.contains(pid) {
            spec.untrusted = true
            note("\(device) is untrusted: its task oopsed in dma-iommu's bounce (dev_use_swiotlb())")
        }
        if behindIOMMU {
            if !declaredIOMMU { steps.append(iommuStep()) }
            if facts.dmaMasks[device] == nil, domains[domain]?.fromCreation == nil, let bits = dmaBits(fromFirstAllocation: record) {
                spec.dmaBits = bits
                note("\(device): dma-bits=\(bits), the limit its first IOVA sits under (a fresh allocator starts at the top of the mask)")
            }
        } else {
            directDevices.insert(device)
        }
        steps.append(Step(op: .device(spec), claims: [], record: nil))
        return steps
    }

    private func iommuStep() -> Step {
        declaredIOMMU = true
        let mode: IOMMUMode
        if let strict = facts.strict {
            mode = strict ? .strict : .lazy
            note("IOMMU mode \(mode.rawValue): \(facts.provenance.first { $0.contains("strict") || $0.contains("lazy") || $0.contains("DMA") } ?? "the trace's machine facts")")
        } else if armReports || facts.iommuKind == .armSMMU {
            mode = .strict
            note("IOMMU mode strict: the default on Arm (drivers/iommu/Kconfig), where these arm-smmu reports come from")
        } else {
            mode = .lazy
            note("IOMMU mode lazy: the default on x86 (drivers/iommu/Kconfig: IOMMU_DEFAULT_DMA_LAZY if X86 || S390); the trace does not say")
        }
        // virtio-iommu implements iotlb_sync_map (drivers/iommu/virtio-iommu.c viommu_iotlb_sync_map).
        let syncMap = facts.iommuKind == .virtio
        if let kind = facts.iommuKind { note("the IOMMU is \(kind.rawValue)\(syncMap ? ", which needs iotlb_sync_map" : "")") }
        // Lazy: fq_timer runs where the trace shows it (a timer_expire_entry, or the first IOVA
        // the kernel hands out again from the flush queue), not at a tick the model guesses.
        if mode == .lazy { note("fq-timer=explicit: the flush-queue timer runs where the trace shows it ran (docs/import.md)") }
        return Step(op: .iommu(IOMMUSpec(name: Self.iommuName, mode: mode, needsSyncMap: syncMap, explicitFlushTimer: mode == .lazy)),
                    claims: [], record: nil)
    }

    /// Whether a device's DMA goes through the IOMMU: its IOMMU group, the IOMMU being off,
    /// or what its first call shows (a map that returned its physical address had none; a
    /// try_alloc that returned false found no DMA domain).
    private func isBehindIOMMU(_ device: String, firstCall record: ImportedOp) -> Bool {
        if Self.isPseudoDevice(device) { return true }
        if facts.iommuDisabled == true { return false }
        // dma-direct and swiotlb_map() report overflows only for a device without an IOMMU.
        if facts.directDevices.contains(device) { return false }
        if let group = facts.group(of: device) { return group.type != "identity" }
        // The IOMMU reported this device's fault (a DMAR, AMD-Vi or SMMU fault record), so
        // its DMA is translated whatever groups the log happened to show.
        if case .fault(let fault) = record.outcome.status, fault.kind != .busError { return true }
        if !facts.groups.isEmpty { return false }
        switch record.op.call {
        case .map(let call):
            if record.outcome.address == call.phys, !record.unknown.contains(.phys) { return false }
        case .alloc:
            if record.outcome.status == .fallback { return false }
        default:
            break
        }
        return true
    }

    /// The IOMMU group a device shares: the facts' group, a pseudo-device's own space, or
    /// for a device seen only faulting, the space of the device-less IOMMU events.
    private func groupName(of device: String, firstCall record: ImportedOp) -> String? {
        if let group = facts.group(of: device) { return "group\(group.id)" }
        if Self.isPseudoDevice(device) { return device }
        switch record.op.call {
        case .deviceRead, .deviceWrite:
            // The only mappings its faults can be checked against are the device-less ones.
            if domainOfDevice[DeviceRegistry.unattributed] != nil { return domainOfDevice[DeviceRegistry.unattributed] }
        default:
            break
        }
        return nil
    }

    /// A name the importer gives an IOVA space, not a device: device-less `iommu:map`
    /// events, a virtio-iommu domain.
    static func isPseudoDevice(_ name: String) -> Bool {
        name == DeviceRegistry.unattributed || name.hasPrefix("virtio-iommu-domain")
    }

    /// `k` when the record is a domain's first allocation ending at 2^k below 4 GiB: a
    /// fresh allocator hands out the top of `min(dma_mask, aperture)` first
    /// (drivers/iommu/iova.c `__alloc_and_insert_iova_range`), so the device's mask is k bits.
    private func dmaBits(fromFirstAllocation record: ImportedOp) -> Int? {
        guard let end = Self.freshEnd(of: record), end < 1 << 32, end >= 1 << 12 else { return nil }
        return end.trailingZeroBitCount
    }

    /// Where the allocation a map or try_alloc made ends, rounded as `alloc_iova_fast`
    /// rounds it, when that is a power of two no higher than 4 GiB: where a fresh
    /// allocator's first one ends for a device whose mask (or the 32-bit-first PCI
    /// workaround of `iommu_dma_alloc_iova`) limits it there. Above 4 GiB the first IOVA
    /// depends on what the trace does not say (the aperture, `iommu.forcedac`, the bus).
    static func freshEnd(of record: ImportedOp) -> UInt64? {
        guard record.outcome.status == .ok, let address = record.outcome.address else { return nil }
        let length: UInt64
        switch record.op.call {
        case .map(let call): length = call.length
        case .alloc(let call): length = call.sizeBytes
        default: return nil
        }
        let start = address & ~4095
        let pages = ((address & 4095) &+ length &+ 4095) >> 12
        let rounded = pages < 32 ? pages.roundedUpToPowerOfTwoValue : pages
        let (end, overflow) = start.addingReportingOverflow(rounded << 12)
        guard !overflow, end.nonzeroBitCount == 1, end <= 1 << 32 else { return nil }
        return end
    }

    /// The first allocation in a device's IOVA space says whether the trace holds the space
    /// from its creation: then the model must hand out the kernel's IOVAs from there on.
    func noteAllocation(in device: String, at address: UInt64, length: UInt64, record: ImportedOp) {
        guard !directDevices.contains(device) else { return }
        let domain = domainOfDevice[device] ?? device
        guard domains[domain]?.fromCreation == nil else { return }
        let fresh = Self.freshEnd(of: record) != nil
        domains[domain, default: DomainState()].fromCreation = fresh
        if !fresh {
            note("\(device)'s IOVA space was in use before the trace began (its first IOVA, \(hexText(address)), is not where a fresh allocator starts): its IOVAs are the model's own, not compared")
        }
    }
}

extension UInt64 {
    /// `roundup_pow_of_two()`.
    var roundedUpToPowerOfTwoValue: UInt64 { self <= 1 ? 1 : 1 << UInt64(64 - (self - 1).leadingZeroBitCount) }
}
