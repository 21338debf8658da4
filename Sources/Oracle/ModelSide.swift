import DMASim
import OpScript
import Pipeline

/// The model's half of the comparison: the project's engine runs the lines the kernel ran
/// (and the topology), on the guest's topology where the two could differ.
///
/// Comparable IOVAs need the model to know what the guest's IOVA allocator does: every
/// script IOMMU gets the reserved ranges its devices' domains have in the guest (the IOMMU's
/// reserved regions and the PCI host bridge's memory windows, reported by the module), in
/// place of none, and the guest domain's aperture. The DMA mask needs nothing: the guest's
/// edu is given the script's.
public struct ModelSide {
    public struct LineOutcome: Sendable {
        public var outcome: Outcome
        /// XXH64 of each extent's bytes after the line, by extent index (lines that report
        /// memory, and `checkpoint`/`verify`).
        public var memory: [Int: UInt64]
    }

    /// Lines the model rejects when it runs the whole script, with the reason: these are
    /// faults of the script and are not sent to the kernel.
    public static func rejectedLines(of script: Script) throws -> [Int: String] {
        var rejected: [Int: String] = [:]
        _ = try ScriptExecutor().run(script.lines, stopping: .never) { result in
            if case .rejected(let why) = result.outcome.status { rejected[result.line.lineNumber] = why }
        }
        return rejected
    }

    /// What the model's IOMMU lines take from the guest, by script IOMMU name.
    public struct GuestTopology: Sendable, Equatable {
        public var reserved: [String: [ClosedRange<UInt64>]] = [:]
        public var apertureBits: [String: Int] = [:]

        /// The script's IOMMU line as the guest has it.
        public func applied(to spec: IOMMUSpec) -> IOMMUSpec {
            var spec = spec
            if let ranges = reserved[spec.name] { spec.reservedRanges = ranges }
            if let bits = apertureBits[spec.name] { spec.apertureBits = bits }
            return spec
        }
    }

    /// The reserved ranges and apertures of the guest's DMA domains.
    public static func guestTopology(_ plan: OraclePlan, _ log: KernelLog) -> GuestTopology {
        var topology = GuestTopology()
        for device in plan.devices {
            guard let iommu = device.iommu, let guest = log.devices[device.index],
                  guest.domainType == "DMA" || guest.domainType == "DMA-FQ" else { continue }
            topology.reserved[iommu, default: []] += guest.reserved
            if guest.apertureEnd > 0 { topology.apertureBits[iommu] = 64 - guest.apertureEnd.leadingZeroBitCount }
        }
        topology.reserved = topology.reserved.mapValues(RangeMerging.merged)
        return topology
    }

    /// Runs the plan's topology and command lines on a fresh engine. Their claims are left
    /// out: the comparison is of outcomes, with the kernel's.
    public static func run(_ plan: OraclePlan, topology: GuestTopology) throws -> [Int: LineOutcome] {
        let executor = ScriptExecutor()
        let runs = plan.lines.filter { $0.action == .topology || $0.isCommand }
        let lines = runs.map { planned in
            var op = planned.line.op
            if case .iommu(let spec) = op.call { op = op.with(.iommu(topology.applied(to: spec))) }
            return ScriptLine(lineNumber: planned.line.lineNumber, op: op)
        }
        var out: [Int: LineOutcome] = [:]
        _ = try executor.run(lines, stopping: .never) { result in
            var memory: [Int: UInt64] = [:]
            let kind = result.line.op.kind
            if case .command(_, let reports) = runs[result.sequence].action, reports || kind == .checkpoint || kind == .verify {
                memory = digests(of: plan.extents, in: executor.engine)
            }
            out[result.line.lineNumber] = LineOutcome(outcome: result.outcome, memory: memory)
        }
        return out
    }

    /// XXH64 of each extent's bytes as the model's RAM holds them.
    static func digests(of extents: [Extent], in engine: Engine) -> [Int: UInt64] {
        var out: [Int: UInt64] = [:]
        let pageBytes = Engine.memoryPageBytes
        var page = [UInt8](repeating: 0, count: pageBytes)
        for extent in extents {
            var hasher = XXH64()
            var address = extent.scriptBase
            while address < extent.scriptBase + extent.size {
                page.withUnsafeMutableBytes { bytes in
                    if !engine.copyPage(address / UInt64(pageBytes), into: bytes.baseAddress!) {
                        bytes.initializeMemory(as: UInt8.self, repeating: 0)
                    }
                    hasher.update(UnsafeRawBufferPointer(bytes))
                }
                address += UInt64(pageBytes)
            }
            out[extent.index] = hasher.finalize()
        }
        return out
    }
}
