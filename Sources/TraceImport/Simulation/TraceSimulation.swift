import DMASim
import Journal
import OpScript

/// A kernel trace as the simulation that runs it: each call the trace shows
/// (`EventJournaler`'s `ImportedOp`) becomes the op the engine runs, with claims of what
/// the kernel did — the address it returned, the fault it reported, the error a call
/// gave, the misuse its dma-debug named — and what the trace does not say is filled in,
/// op by op, as the import streams:
///
/// - the machine first: one RAM region from address 0 holding every physical address
///   (`MachineFacts` and the trace name none above `inventedPhysBase`), the IOMMU with the
///   policy the trace's facts give (`TraceSimulation+Topology`);
/// - each device when it first appears, behind the IOMMU or not, in its IOMMU group;
/// - a map whose physical address the trace lacks (a `dma_alloc` without its
///   `iommu:map`) gets a fresh one from `inventedPhysBase`;
/// - after each map, the `dma_mapping_error()` check every driver makes, which nothing
///   traces;
/// - a mapping or state older than the trace, which an unmap, sync, destroy or access
///   names, is mapped (or allocated and linked) just before it, claiming nothing
///   (`TraceSimulation+StandIns`);
/// - a device access names the mapping that covered its address in the kernel's IOVA
///   space (the latest, even if unmapped since: that is a stale access), as `m2+0x10`.
///
/// Addresses are claimed (`iova=`) in a domain the trace holds from its creation, whose
/// first allocation sits at the top of the device's range as a fresh allocator puts it;
/// a domain the trace joins midway has other IOVAs on the model than in the kernel.
final class TraceSimulation {
    /// One op to run, with the kernel's claims about it.
    struct Step {
        var op: Op
        var claims: [Claim]
        /// The trace record the op is; nil for the topology and the ops the simulation adds.
        var record: ImportedOp?
    }

    static let regionName = "ram0"
    /// RAM above `mem=`: outside the kernel's view.
    static let hiddenRegionName = "hidden"
    /// The region covers physical addresses below this; made-up ones start at half of it.
    static let regionSize: UInt64 = 1 << 48
    static let inventedPhysBase: UInt64 = 1 << 47
    static let iommuName = DeviceRegistry.iommuName
    static let accessLength: UInt64 = 4

    /// What the files said of the machine so far: a device's or the pool's facts may come
    /// in a line read after the first call, before the device's own first call.
    var facts: MachineFacts
    /// What the simulation filled in, for the summary and the exported script's header.
    private(set) var assumptions: [String] = []
    var declaredTopology = false
    var declaredIOMMU = false
    /// Declared devices: the domain each is in (its group, or its own name).
    var domainOfDevice: [String: String] = [:]
    /// Devices in the bus address space (no IOMMU).
    var directDevices: Set<String> = []
    var domains: [String: DomainState] = [:]
    var facts_ = HandleFactsTable()
    var nextInventedPhys = TraceSimulation.inventedPhysBase
    var inventedPhysCount = 0
    var preTraceCount = 0
    var translatedPages = 0
    var overlapStandIns = 0
    var skipped = 0
    /// `iommu:unmap` events with `unmapped_size=0` of nothing the trace mapped.
    var unmapsOfNothing = 0
    /// The kernel namings seen: arm-smmu reports mean an Arm machine, dma-debug reports a
    /// kernel built with dma-debug.
    var armReports = false
    var dmaDebugReports = false
    /// A dma-debug "cacheline tracking EEXIST" report came before the machine was declared.
    var cachelineOverlapReported = false
    /// The DMA semantics the machine was declared with.
    var modelRules = KernelRules(MachineSpec())
    /// The machine's CPUs, once declared; the time of the last op placed.
    var cpuCount = 1
    var lastTime: UInt64 = 0
    /// The swiotlb pool the topology declared from the log's facts, if any.
    var declaredPool: DeclaredPool?

    enum DeclaredPool { case mapped, unreachable, absent }

    /// What the simulation knows of a mapping or state handle, for the calls that name it.
    struct MappingFacts: Equatable {
        var length: UInt64
        var direction: DMADirection
        var device: String
        var isState: Bool
    }

    /// One IOVA space as the kernel filled it: its mappings by address, to name the one
    /// an access hit, and whether the trace holds it from its creation.
    struct DomainState {
        var mappings = KernelMappingIndex()
        /// Nil until the first allocation says.
        var fromCreation: Bool?
    }

    /// A mapping or state as the kernel placed it.
    struct KernelMapping {
        var handle: String
        var start: UInt64
        var length: UInt64
        var isState: Bool
        func offset(of address: UInt64) -> UInt64? {
            address >= start && address - start < length ? address - start : nil
        }
    }

    /// A simulation that declares the machine from the trace's facts as it goes (an import).
    init(facts: MachineFacts) {
        self.facts = facts
    }

    /// A simulation on a machine already declared (the topology an import journaled): a
    /// replay of the import.
    init(topology: [Op]) {
        facts = MachineFacts()
        declaredTopology = true
        cpuCount = MachineSpec.maxCPUCount
        for op in topology {
            switch op.call {
            case .machine(let spec): cpuCount = spec.cpuCount
            case .iommu: declaredIOMMU = true
            case .device(let spec):
                domainOfDevice[spec.name] = spec.group ?? spec.name
                if spec.iommu == nil { directDevices.insert(spec.name) }
            default: break
            }
        }
    }

    /// The steps for one kernel call: declarations and stand-ins first, when it needs them.
    func steps(for record: ImportedOp) -> [Step] {
        var steps: [Step] = []
        if record.provenance?.kernelNaming.hasPrefix("arm_smmu") == true { armReports = true }
        if record.provenance?.kernelNaming == "dma_debug" {
            dmaDebugReports = true
            if DMADebugHints(of: record).overlapsLiveCacheline { cachelineOverlapReported = true }
        }
        if !declaredTopology { steps += topologySteps() }
        let skippedBefore = unmapsOfNothing
        guard var op = op(for: record, before: &steps) else {
            if unmapsOfNothing == skippedBefore { skipped += 1 }
            return steps
        }
        place(&op, record)
        steps.append(Step(op: op, claims: claims(for: record, op: op), record: record))
        if case .map(let map) = op.call, record.outcome.status == .ok { steps.append(mappingErrorCheck(map.mapping)) }
        return steps
    }

    /// What was filled in, one sentence each.
    var summaryOfAssumptions: [String] {
        var notes = assumptions
        if inventedPhysCount > 0 {
            notes.append("\(inventedPhysCount) map(s) the trace gave no physical address (dma_alloc …) use fresh ones from \(ScriptNumber.hex(Self.inventedPhysBase))")
        }
        if preTraceCount > 0 {
            notes.append("\(preTraceCount) mapping(s) or state(s) the trace never showed made (unmapped, synced, destroyed or translated through) are made before their first use, claiming nothing")
        }
        if skipped > 0 { notes.append("\(skipped) op(s) naming no device are left out") }
        if unmapsOfNothing > 0 { notes.append("\(unmapsOfNothing) unmap(s) the kernel says removed nothing are not run") }
        return notes
    }

    // MARK: ops

    private func op(for record: ImportedOp, before steps: inout [Step]) -> Op? {
        switch record.op.call {
        case .map(let call):
            guard let device = record.device ?? nonEmpty(call.device) else { return nil }
            steps += declare(device, firstCall: record)
            var map = call
            map.device = device
            if record.unknown.contains(.phys) { map.phys = inventPhys(call.length) }
            if record.unknown.contains(.length) || map.length == 0 { map.length = max(call.length, 4096) }
            if DMADebugHints(of: record).overlapsLiveCacheline, record.unknown.contains(.phys) {
                steps += overlappedMappingStandIn(device: device, phys: map.phys, length: map.length)
            }
            facts_[call.mapping] = MappingFacts(length: map.length, direction: map.direction, device: device, isState: false)
            if record.outcome.status == .ok, let address = record.outcome.address {
                noteAllocation(in: device, at: address, length: map.length, record: record)
                remember(call.mapping, at: address, length: map.length, device: device, isState: false)
            }
            return .map(map)
        case .unmap(let call):
            if record.provenance?.note?.contains("the kernel unmapped 0 of") == true, facts_[call.mapping] == nil {
                unmapsOfNothing += 1
                return nil
            }
            guard let known = knownMapping(call.mapping, record: record, before: &steps) else { return nil }
            var unmap = call
            if record.unknown.contains(.length) { unmap.length = known.length }
            if record.unknown.contains(.direction) { unmap.direction = known.direction }
            return .unmap(unmap)
        case .syncForCPU(let call), .syncForDevice(let call):
            guard let known = knownMapping(call.mapping, record: record, before: &steps) else { return nil }
            var sync = call
            if record.unknown.contains(.direction) { sync.direction = known.direction }
            if record.unknown.contains(.length) { sync.length = known.length - min(call.offset, known.length) }
            if case .syncForCPU = record.op.call { return .syncForCPU(sync) }
            return .syncForDevice(sync)
        case .alloc(let call):
            steps += declare(call.device, firstCall: record)
            var alloc = call
            if record.unknown.contains(.phys) { alloc.phys = 0 }
            facts_[call.state] = MappingFacts(length: call.sizeBytes, direction: .bidirectional, device: call.device, isState: true)
            if record.outcome.status == .ok, let address = record.outcome.address {
                noteAllocation(in: call.device, at: address, length: call.sizeBytes, record: record)
                remember(call.state, at: address, length: call.sizeBytes, device: call.device, isState: true)
            }
            return .alloc(alloc)
        case .link(let call):
            guard knownState(call.state, record: record, before: &steps) != nil else { return nil }
            var link = call
            if record.unknown.contains(.direction) { link.direction = .bidirectional }
            return .link(link)
        case .sync(let call):
            guard knownState(call.state, record: record, before: &steps) != nil else { return nil }
            return .sync(call)
        case .unlink(let call):
            guard knownState(call.state, record: record, before: &steps) != nil else { return nil }
            var unlink = call
            if record.unknown.contains(.direction) { unlink.direction = .bidirectional }
            return .unlink(unlink)
        case .destroy(let call):
            guard knownState(call.state, record: record, before: &steps) != nil else { return nil }
            var destroy = call
            if record.unknown.contains(.direction) { destroy.direction = .bidirectional }
            return .destroy(destroy)
        case .free(let call):
            guard knownState(call.state, record: record, before: &steps) != nil else { return nil }
            return .free(call)
        case .deviceRead(let access):
            return deviceAccess(access.device, address: access.address, length: access.length, write: nil, record: record, before: &steps)
        case .deviceWrite(let access):
            return deviceAccess(access.device, address: access.address, length: access.length, write: access.fill, record: record,
                                before: &steps)
        case .detach(let call):
            guard let device = nonEmpty(call.device) else { return nil }
            steps += declare(device, firstCall: record)
            return .detach(call)
        case .flush(let call):
            // fq_flush_timeout(): only an IOMMU the trace's devices are behind has a timer.
            return declaredIOMMU ? .flush(call) : nil
        default:
            return nil  // declarations are the simulation's own; an import makes no other call
        }
    }

    private func deviceAccess(_ device: String, address: DeviceAddress, length: UInt64, write: Fill?, record: ImportedOp,
                              before steps: inout [Step]) -> Op? {
        guard case .absolute(let kernelAddress) = address, nonEmpty(device) != nil else { return nil }
        steps += declare(device, firstCall: record)
        var target = deviceAddress(of: kernelAddress, device: device)
        if case .absolute = target, let direction = standInDirection(for: record, write: write != nil) {
            // Translated, or refused for its direction: mapped before the trace began.
            steps += translatedPageMap(at: kernelAddress, device: device, direction: direction)
            target = deviceAddress(of: kernelAddress, device: device)
        }
        let size = record.unknown.contains(.length) || length == 0 ? Self.accessLength : length
        if let write { return .deviceWrite(DeviceWriteOp(device: device, address: target, length: size, fill: write)) }
        return .deviceRead(DeviceReadOp(device: device, address: target, length: size))
    }

    /// The direction of the page an access outside every traced mapping must have hit: any
    /// for a translated access; for a permission fault, the one whose PTE lacks the access's
    /// bit (`dma_info_to_prot()`: TO_DEVICE maps IOMMU_READ only, FROM_DEVICE IOMMU_WRITE
    /// only), so the model meets the fault the IOMMU reported. Nil for a not-present fault:
    /// nothing was mapped there.
    private func standInDirection(for record: ImportedOp, write: Bool) -> DMADirection? {
        switch record.outcome.status {
        case .ok: return .bidirectional
        case .fault(let fault) where fault.kind == .permission: return write ? .toDevice : .fromDevice
        default: return nil
        }
    }

    // MARK: claims

    /// What the kernel did, as claims the model's outcome must meet: the fault it reported,
    /// the error a call returned, the misuse its dma-debug reported, the address it handed
    /// out; otherwise that the call went through (`completed`): a trace without a dma-debug
    /// warning does not say dma-debug was on, so what the model's checker finds there is
    /// news, not a disagreement.
    func claims(for record: ImportedOp, op: Op) -> [Claim] {
        let kernel = record.outcome
        switch kernel.status {
        case .fault(let fault): return [.fault(fault.kind)]
        case .errno, .mappingError:
            if let naming = record.provenance?.kernelNaming, let claims = overflowClaims(naming: naming) { return claims }
            if let naming = record.provenance?.kernelNaming, SWIOTLBMessages.poolExhaustionNamings.contains(naming) {
                noteUncheckedPoolFailure()
                return []
            }
            // A dma_iova_* probe's _ret event gives the call's own return value (-ENXIO,
            // -ENOMEM, -EPERM, …): that errno is the claim.
            if case .errno(let code) = kernel.status, record.provenance?.kernelNaming.hasPrefix("dma_iova_") == true {
                return [.error(code)]
            }
            return [.error(nil)]
        case .fallback: return [.fallback]
        case .oops: return [.oops]
        case .rejected: return []
        case .ok:
            if kernel.findings.contains(where: { $0.misuse == .overlappingCachelineMapping }), !modelRules.reportsCachelineOverlap {
                // The kernel that printed it predates the model's rule (below).
                noteUnreportableCachelineOverlap()
                return [.completed]
            }
            if kernel.findings.contains(where: { $0.misuse == .mmioMapOfRAM }), !modelRules.debugChecksMMIOOnRAM {
                // A 6.18.y or 7.0.y stable kernel with the 7.1 check backported; the model's
                // release stands for its .0, which has none.
                noteUncheckedMMIOOnRAM()
                return [.completed]
            }
            var claims: [Claim] = kernel.findings.isEmpty ? [.completed] : kernel.findings.map { .violation($0.misuse) }
            if let address = kernel.address, claimsAddresses(of: op), !record.unknown.contains(.sizeLowerBound) {
                claims.append(.iova(address))
            }
            return claims
        }
    }

    /// Maps and try_allocs of a device in a domain the trace holds from its creation claim
    /// the kernel's address (not a try_alloc whose size the trace only bounds: its size
    /// picks the IOVA, `alloc_iova_fast()` rounding it up to a power of two and taking the
    /// magazine of that order). A pseudo-device's space is the importer's, not the kernel's.
    private func claimsAddresses(of op: Op) -> Bool {
        let device: String
        switch op.call {
        case .map(let call): device = call.device
        case .alloc(let call): device = call.device
        default: return false
        }
        return !Self.isPseudoDevice(device) && domains[domainOfDevice[device] ?? device]?.fromCreation == true
    }

    /// Says once why a "cacheline tracking EEXIST" report is not claimed: the machine was
    /// declared with 7.x x86 rules, under which `add_dma_entry()` never reports it
    /// (`dma_get_cache_alignment()` is below `L1_CACHE_BYTES`), before the log showed one.
    private func noteUnreportableCachelineOverlap() {
        let sentence = "a cacheline tracking EEXIST report claims only that the map went through: the machine follows 7.x x86, whose add_dma_entry() never reports it (dma_get_cache_alignment() < L1_CACHE_BYTES)"
        if !assumptions.contains(sentence) { note(sentence) }
    }

    private func noteUncheckedMMIOOnRAM() {
        let sentence = "an MMIO map of RAM dma-debug reported claims only that the map went through: the model's release predates 7.1's debug_dma_map_phys() check (stable backported it to 6.18.y and 7.0.y)"
        if !assumptions.contains(sentence) { note(sentence) }
    }

    /// Says once, in the assumptions, why a pool-exhaustion failure claims nothing.
    private func noteUncheckedPoolFailure() {
        let sentence = "a map the kernel failed for want of swiotlb slots claims nothing: the slots taken before the log are unknown"
        if !assumptions.contains(sentence) { note(sentence) }
    }

    // MARK: where and when

    /// The op runs on the CPU the trace's CPU column names, at the trace's time: the
    /// engine's clock follows the kernel's, and its timers fire where the kernel's did.
    /// Times never go back (the engine refuses that): an event the assembler placed
    /// before a later one keeps the later time.
    private func place(_ op: inout Op, _ record: ImportedOp) {
        if let cpu = record.provenance?.cpu, cpu >= 0, cpu < cpuCount { op.cpu = cpu }
        guard let time = record.provenance?.timestampNanoseconds else { return }
        let placed = max(time, lastTime)
        op.time = placed
        lastTime = placed
    }

    // MARK: helpers

    func mappingErrorCheck(_ handle: String) -> Step {
        Step(op: .mappingError(MappingErrorOp(mapping: handle)), claims: [], record: nil)
    }

    func remember(_ handle: String, at address: UInt64, length: UInt64, device: String, isState: Bool) {
        domains[domainOfDevice[device] ?? device, default: DomainState()].mappings
            .insert(KernelMapping(handle: handle, start: address, length: length, isState: isState))
    }

    /// The latest mapping of the device's IOVA space that covered `address`, as
    /// `handle+offset`; the address itself when none did.
    func deviceAddress(of address: UInt64, device: String) -> DeviceAddress {
        guard let mapping = domains[domainOfDevice[device] ?? device]?.mappings.latest(covering: address),
              let offset = mapping.offset(of: address) else { return .absolute(address) }
        return mapping.isState ? .state(mapping.handle, offset: offset) : .mapping(mapping.handle, offset: offset)
    }

    func inventPhys(_ length: UInt64) -> UInt64 {
        inventedPhysCount += 1
        defer { nextInventedPhys = (nextInventedPhys &+ max(length, 1) &+ 4095) & ~4095 }
        return nextInventedPhys
    }

    func note(_ assumption: String) { assumptions.append(assumption) }

    private func nonEmpty(_ name: String) -> String? { name.isEmpty ? nil : name }
}
