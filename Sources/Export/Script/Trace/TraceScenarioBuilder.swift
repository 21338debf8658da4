import DMASim
import OpScript

/// Builds `TraceScenario`'s lines from an `ImportedTrace`: the ops first (they decide the
/// physical addresses the region must hold), then the topology that goes before them.
struct TraceScenarioBuilder {
    /// A mapping as the kernel placed it, in the IOVA space of its device.
    private struct KernelMapping {
        var handle: String
        var start: UInt64
        var length: UInt64
        func offset(of address: UInt64) -> UInt64? {
            address >= start && address - start < length ? address - start : nil
        }
    }

    /// What the script knows of a mapping handle, for the unmaps and syncs that name it.
    private struct MappingFacts {
        var length: UInt64
        var direction: DMADirection
    }

    static let accessLength: UInt64 = 4
    static let regionName = "ram0"

    let trace: ImportedTrace
    private(set) var assumptions: [String] = []
    private var devices = ScriptNames(prefix: "dev-")
    private var groups = ScriptNames(prefix: "group-")
    private var domainOfDevice: [String: String] = [:]
    private var mappingsInDomain: [String: [KernelMapping]] = [:]
    private var facts: [String: MappingFacts] = [:]
    private var physEnd: UInt64 = 1 << 32
    private var inventedPhys: [(handle: String, length: UInt64)] = []
    private var preTraceMappings = 0
    private var translatedPages = 0
    private var skipped = 0

    init(trace: ImportedTrace) {
        self.trace = trace
        for device in trace.devices { domainOfDevice[device.name] = device.domain }
    }

    // MARK: ops

    mutating func ops() -> [TraceScenario.Line] {
        var lines: [TraceScenario.Line] = []
        for row in trace.rows {
            if let end = row.phys.map({ $0 &+ (row.length ?? 0) }) { physEnd = max(physEnd, end) }
        }
        let inventedBase = Self.roundUp(physEnd, to: 1 << 30)
        var nextInvented = inventedBase
        for row in trace.rows {
            guard let op = op(for: row, lines: &lines, nextInvented: &nextInvented) else { continue }
            lines.append(TraceScenario.Line(line: ScriptLine(lineNumber: 0, op: op, claims: claims(for: row)),
                                            origin: row.origin, sequence: row.seq, partOf: row.seq))
            if case .map(let map) = op.call, row.status == "ok" { lines.append(Self.mappingErrorCheck(map.mapping, partOf: row.seq)) }
        }
        physEnd = max(physEnd, nextInvented)
        if nextInvented > inventedBase {
            assumptions.append("maps the trace gave no physical address (dma_alloc …) use fresh ones from \(ScriptNumber.hex(inventedBase))")
        }
        if preTraceMappings > 0 {
            assumptions.append("\(preTraceMappings) mapping(s) the trace never showed mapped (unmapped, synced or translated through) are mapped before their first use, claiming nothing")
        }
        if skipped > 0 { assumptions.append("\(skipped) op(s) naming no device are left out") }
        return lines
    }

    private mutating func op(for row: ImportedTrace.Row, lines: inout [TraceScenario.Line], nextInvented: inout UInt64) -> Op? {
        switch row.kind {
        case .map:
            guard let device = row.device, let handle = row.handle else { skipped += 1; return nil }
            let length = row.length ?? 4096
            let direction = row.direction ?? .bidirectional
            let phys = row.phys ?? Self.take(length, from: &nextInvented)
            facts[handle] = MappingFacts(length: length, direction: direction)
            if row.status == "ok", let address = row.returnedAddress { remember(handle, at: address, length: length, device: device) }
            return .map(MapOp(mapping: handle, device: devices.name(device), phys: phys, length: length, direction: direction))
        case .unmap, .syncForCPU, .syncForDevice:
            guard let handle = row.handle else { skipped += 1; return nil }
            if facts[handle] == nil {
                guard let device = row.device else { skipped += 1; return nil }
                lines += preTraceMap(handle, device: device, row: row, nextInvented: &nextInvented)
            }
            let known = facts[handle] ?? MappingFacts(length: 4096, direction: .bidirectional)
            let direction = row.direction ?? known.direction
            if row.kind == .unmap {
                return .unmap(UnmapOp(mapping: handle, length: row.length ?? known.length, direction: direction))
            }
            let offset = row.offset ?? 0
            let sync = StreamingSyncOp(mapping: handle, offset: offset, length: row.length ?? known.length - min(offset, known.length),
                                       direction: direction)
            return row.kind == .syncForCPU ? .syncForCPU(sync) : .syncForDevice(sync)
        case .deviceRead, .deviceWrite:
            guard let device = row.device, let address = row.faultAddress ?? row.address else { skipped += 1; return nil }
            var target = deviceAddress(of: address, device: device)
            if case .absolute = target, row.status == "ok" {
                // Translated, so mapped before the trace began: map the page it hit.
                lines += translatedPageMap(at: address, device: device, row: row, nextInvented: &nextInvented)
                target = deviceAddress(of: address, device: device)
            }
            let length = row.length ?? Self.accessLength
            return row.kind == .deviceWrite
                ? .deviceWrite(DeviceWriteOp(device: devices.name(device), address: target, length: length, fill: .zero))
                : .deviceRead(DeviceReadOp(device: devices.name(device), address: target, length: length))
        case .detach:
            guard let device = row.device else { skipped += 1; return nil }
            return .detach(DetachOp(device: devices.name(device)))
        default:
            return nil  // declarations (written first, by `topology()`) and calls an import never makes
        }
    }

    /// The map of a mapping older than the trace, placed where the kernel had it.
    private mutating func preTraceMap(_ handle: String, device: String, row: ImportedTrace.Row,
                                      nextInvented: inout UInt64) -> [TraceScenario.Line] {
        let length = row.hints.mappedLength ?? max(row.length ?? 4096, (row.offset ?? 0) + 1)
        let direction = row.hints.mappedDirection ?? row.direction ?? .bidirectional
        facts[handle] = MappingFacts(length: length, direction: direction)
        if let address = row.address { remember(handle, at: address &- (row.offset ?? 0), length: length, device: device) }
        preTraceMappings += 1
        let op = Op.map(MapOp(mapping: handle, device: devices.name(device), phys: Self.take(length, from: &nextInvented),
                              length: length, direction: direction))
        return [TraceScenario.Line(line: ScriptLine(lineNumber: 0, op: op), origin: nil, sequence: nil, partOf: row.seq),
                Self.mappingErrorCheck(handle, partOf: row.seq)]
    }

    /// A page an access shows translated, mapped before the trace (`t1`, `t2` …: the
    /// importer names mappings `m` and `u`).
    private mutating func translatedPageMap(at address: UInt64, device: String, row: ImportedTrace.Row,
                                            nextInvented: inout UInt64) -> [TraceScenario.Line] {
        translatedPages += 1
        let handle = "t\(translatedPages)"
        let page = address & ~4095
        facts[handle] = MappingFacts(length: 4096, direction: .bidirectional)
        remember(handle, at: page, length: 4096, device: device)
        preTraceMappings += 1
        let phys = row.phys.map { $0 & ~4095 } ?? Self.take(4096, from: &nextInvented)
        let op = Op.map(MapOp(mapping: handle, device: devices.name(device), phys: phys, length: 4096, direction: .bidirectional))
        return [TraceScenario.Line(line: ScriptLine(lineNumber: 0, op: op), origin: nil, sequence: nil, partOf: row.seq),
                Self.mappingErrorCheck(handle, partOf: row.seq)]
    }

    /// `dma_mapping_error()` after a map: drivers make the call and no trace shows it;
    /// without it the model's dma-debug would report every unmap (`check_unmap`).
    private static func mappingErrorCheck(_ handle: String, partOf seq: Int) -> TraceScenario.Line {
        TraceScenario.Line(line: ScriptLine(lineNumber: 0, op: .mappingError(MappingErrorOp(mapping: handle))),
                           origin: nil, sequence: nil, partOf: seq)
    }

    private mutating func remember(_ handle: String, at address: UInt64, length: UInt64, device: String) {
        mappingsInDomain[domainOfDevice[device] ?? device, default: []]
            .append(KernelMapping(handle: handle, start: address, length: length))
    }

    /// The latest mapping of the device's IOVA space that covered `address`, as
    /// `handle+offset`; the address itself when none did.
    private func deviceAddress(of address: UInt64, device: String) -> DeviceAddress {
        for mapping in (mappingsInDomain[domainOfDevice[device] ?? device] ?? []).reversed() {
            if let offset = mapping.offset(of: address) { return .mapping(mapping.handle, offset: offset) }
        }
        return .absolute(address)
    }

    /// What the kernel did, as claims the model's outcome must meet: the fault it reported,
    /// the error a call returned, the misuse its dma-debug reported; otherwise only that the
    /// call or access went through (`completed`): a trace without a dma-debug warning does
    /// not say dma-debug was on, so what the model's checker finds there is news, not a
    /// disagreement.
    private func claims(for row: ImportedTrace.Row) -> [Claim] {
        switch row.status {
        case "fault": return [.fault(row.faultKind)]
        case "errno", "mapping-error": return [.error(nil)]
        default: return row.findings.isEmpty ? [.completed] : row.findings.map { .violation($0) }
        }
    }

    // MARK: topology

    /// The region, IOMMUs and devices, in the order the script declares them.
    mutating func topology() -> [TraceScenario.Line] {
        let regionSize = Self.powerOfTwo(atLeast: physEnd)
        var ops: [Op] = [.region(RegionSpec(name: Self.regionName, base: 0, sizeBytes: regionSize, kind: .ram))]
        let mode = defaultMode
        for iommu in trace.iommus {
            ops.append(.iommu(IOMMUSpec(name: devices.name(iommu), mode: mode)))
        }
        for device in trace.devices {
            let iommu = device.iommu.map { devices.name($0) }
            ops.append(.device(DeviceSpec(name: devices.name(device.name), iommu: iommu,
                                          group: iommu == nil ? nil : groups.name(device.domain))))
        }
        assumptions.insert(contentsOf: [
            "region \(Self.regionName) holds every physical address the trace names",
            "IOMMU mode \(mode.rawValue): \(modeReason); change it with replay --with iommu-mode=…",
            "DMA masks, coherence and buses are the defaults (64 bits, coherent, PCI): the trace does not say",
            "every map is followed by the dma_mapping_error() check drivers make, which no trace shows",
            "a device access names the mapping that covered its address in the kernel's IOVA space; of unknown length, it is \(Self.accessLength) bytes",
        ], at: 0)
        for (script, kernel) in devices.renamed + groups.renamed { assumptions.append("\(script) is \(kernel) in the trace") }
        return ops.map { TraceScenario.Line(line: ScriptLine(lineNumber: 0, op: $0), origin: nil, sequence: nil, partOf: nil) }
    }

    /// Lazy, the x86 kernel's default, unless the reports come from an Arm SMMU.
    private var defaultMode: IOMMUMode { fromArmSMMU ? .strict : .lazy }

    private var modeReason: String {
        fromArmSMMU ? "the default on Arm (drivers/iommu/Kconfig), where these arm-smmu reports come from"
            : "the default on x86 (drivers/iommu/Kconfig: IOMMU_DEFAULT_DMA_LAZY if X86 || S390)"
    }

    private var fromArmSMMU: Bool { trace.kernelNamings.contains { $0.hasPrefix("arm_smmu") || $0.hasPrefix("smmuv3") } }

    // MARK: arithmetic

    private static func take(_ length: UInt64, from cursor: inout UInt64) -> UInt64 {
        defer { cursor = roundUp(cursor &+ length, to: 4096) }
        return cursor
    }

    private static func roundUp(_ value: UInt64, to alignment: UInt64) -> UInt64 {
        (value &+ alignment - 1) & ~(alignment - 1)
    }

    private static func powerOfTwo(atLeast value: UInt64) -> UInt64 {
        var size: UInt64 = 1 << 32
        while size < value && size < 1 << 62 { size <<= 1 }
        return size
    }
}
