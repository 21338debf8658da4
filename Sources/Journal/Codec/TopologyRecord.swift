import DMASim

/// A topology op's spec in the `topology` table: written by the writer, read back by the
/// reader into the same `Op`. Columns a kind does not use stay NULL.
enum TopologyRecord {
    /// Binds every column of `TopologyColumn.insertSQL` for `op` (a topology op).
    static func bind(_ op: Op, seq: Int, to statement: Statement) {
        for column in TopologyColumn.allCases { statement.bind(nil as Int64?, at: column.rawValue) }
        statement.bind(seq, at: TopologyColumn.seq.rawValue)
        statement.bind(op.kind.rawValue, at: TopologyColumn.kind.rawValue)
        switch op.call {
        case .machine(let spec): bindMachine(spec, statement)
        case .region(let spec): bindRegion(spec, statement)
        case .iommu(let spec): bindIOMMU(spec, statement)
        case .device(let spec): bindDevice(spec, statement)
        case .swiotlb(let spec): bindSwiotlb(spec, statement)
        default: preconditionFailure("not a topology op: \(op.kind)")
        }
    }

    private static func bindMachine(_ spec: MachineSpec, _ statement: Statement) {
        statement.bind(spec.arch.rawValue, at: TopologyColumn.arch.rawValue)
        statement.bind(spec.kernel.rawValue, at: TopologyColumn.kernel.rawValue)
        statement.bind(spec.cpuCount, at: TopologyColumn.cpus.rawValue)
        statement.bind(spec.hz, at: TopologyColumn.hz.rawValue)
        statement.bind(spec.dmaDebug, at: TopologyColumn.dmaDebug.rawValue)
        statement.bind(spec.tickPhase, at: TopologyColumn.tickPhaseNs.rawValue)
    }

    private static func bindRegion(_ spec: RegionSpec, _ statement: Statement) {
        statement.bind(spec.name, at: TopologyColumn.name.rawValue)
        statement.bind(spec.base, at: TopologyColumn.base.rawValue)
        statement.bind(spec.sizeBytes, at: TopologyColumn.sizeBytes.rawValue)
        statement.bind(spec.kind.rawValue, at: TopologyColumn.regionKind.rawValue)
    }

    private static func bindIOMMU(_ spec: IOMMUSpec, _ statement: Statement) {
        statement.bind(spec.name, at: TopologyColumn.name.rawValue)
        statement.bind(spec.mode.rawValue, at: TopologyColumn.mode.rawValue)
        statement.bind(spec.granuleBytes, at: TopologyColumn.granuleBytes.rawValue)
        statement.bind(spec.pageSizes, at: TopologyColumn.pageSizes.rawValue)
        statement.bind(spec.apertureBits, at: TopologyColumn.apertureBits.rawValue)
        statement.bind(spec.needsSyncMap, at: TopologyColumn.needsSyncMap.rawValue)
        statement.bind(spec.flushQueueSlots, at: TopologyColumn.fqSlots.rawValue)
        statement.bind(spec.forceDAC, at: TopologyColumn.forceDac.rawValue)
        statement.bind(spec.explicitFlushTimer ? "explicit" : "kernel", at: TopologyColumn.fqTimer.rawValue)
        statement.bind(ReservedRangesText.text(of: spec.reservedRanges), at: TopologyColumn.reserved.rawValue)
    }

    private static func bindDevice(_ spec: DeviceSpec, _ statement: Statement) {
        statement.bind(spec.name, at: TopologyColumn.name.rawValue)
        statement.bind(spec.iommu, at: TopologyColumn.iommu.rawValue)
        statement.bind(spec.dmaBits, at: TopologyColumn.dmaBits.rawValue)
        statement.bind(spec.coherent, at: TopologyColumn.coherent.rawValue)
        statement.bind(spec.untrusted, at: TopologyColumn.untrusted.rawValue)
        statement.bind(spec.bus.rawValue, at: TopologyColumn.bus.rawValue)
        statement.bind(spec.group, at: TopologyColumn.iommuGroup.rawValue)
        statement.bind(spec.minAlignMask, at: TopologyColumn.minAlignMask.rawValue)
    }

    private static func bindSwiotlb(_ spec: SwiotlbSpec, _ statement: Statement) {
        statement.bind(spec.base, at: TopologyColumn.base.rawValue)
        statement.bind(spec.sizeBytes, at: TopologyColumn.sizeBytes.rawValue)
        statement.bind(spec.force, at: TopologyColumn.force.rawValue)
    }

    // MARK: reading

    /// The topology op in the current row of `SELECT TopologyColumn.selectList`. An IOMMU
    /// from before schema 11 has no page sizes: every PTE was one granule then.
    static func op(from row: Statement) throws(OpFieldsProblem) -> Op {
        let reader = ColumnReader<TopologyColumn>(row: row)
        switch try reader.text(.kind) {
        case OpKind.machine.rawValue:
            // A journal before schema 9 has no dma_debug or tick_phase_ns: the defaults.
            return .machine(MachineSpec(arch: try reader.enumeration(.arch), kernel: try reader.enumeration(.kernel),
                                        cpuCount: try reader.int(.cpus), hz: try reader.int(.hz),
                                        dmaDebug: row.int(at: TopologyColumn.dmaDebug.resultIndex).map { $0 != 0 } ?? true,
                                        tickPhase: row.uint64(at: TopologyColumn.tickPhaseNs.resultIndex) ?? 0))
        case OpKind.region.rawValue:
            return .region(RegionSpec(name: try reader.text(.name), base: try reader.uint64(.base), sizeBytes: try reader.uint64(.sizeBytes),
                                      kind: try reader.enumeration(.regionKind)))
        case OpKind.iommu.rawValue:
            let granuleBytes = try reader.uint64(.granuleBytes)
            return .iommu(IOMMUSpec(
                name: try reader.text(.name), mode: try reader.enumeration(.mode), granuleBytes: granuleBytes,
                pageSizes: row.uint64(at: TopologyColumn.pageSizes.resultIndex) ?? granuleBytes,
                apertureBits: try reader.int(.apertureBits), needsSyncMap: try reader.bool(.needsSyncMap),
                flushQueueSlots: try reader.int(.fqSlots), forceDAC: try reader.bool(.forceDac),
                reservedRanges: try reservedRanges(reader),
                explicitFlushTimer: row.text(at: TopologyColumn.fqTimer.resultIndex) == "explicit"))
        case OpKind.device.rawValue:
            return .device(DeviceSpec(
                name: try reader.text(.name), iommu: row.text(at: TopologyColumn.iommu.resultIndex), dmaBits: try reader.int(.dmaBits),
                coherent: try reader.bool(.coherent), untrusted: try reader.bool(.untrusted), bus: try reader.enumeration(.bus),
                group: row.text(at: TopologyColumn.iommuGroup.resultIndex),
                minAlignMask: row.uint64(at: TopologyColumn.minAlignMask.resultIndex) ?? 0))
        case OpKind.swiotlb.rawValue:
            // size_bytes 0 is `swiotlb noforce`.
            return .swiotlb(SwiotlbSpec(sizeBytes: try reader.uint64(.sizeBytes), base: try reader.uint64(.base), force: try reader.bool(.force)))
        case let other:
            throw OpFieldsProblem("topology kind '\(other)'")
        }
    }

    private static func reservedRanges(_ reader: ColumnReader<TopologyColumn>) throws(OpFieldsProblem) -> [ClosedRange<UInt64>] {
        let text = try reader.text(.reserved)
        guard let ranges = ReservedRangesText.ranges(from: text) else { throw OpFieldsProblem("reserved ranges '\(text)'") }
        return ranges
    }
}
