import DMASim

/// An op spread over the `ops` columns: the one place that says which argument goes in
/// which column (the table in schema/001-journal.sql lists the same). The writer builds
/// it from an `Op`; the reader turns it back into the identical `Op`.
///
/// Topology ops keep only their name here; their specs live in `topology` (`TopologyFields`).
struct OpFields: Sendable {
    var kind: OpKind
    var device: NameRef?
    var handle: NameRef?
    var offset: UInt64?
    var length: UInt64?
    var phys: UInt64?
    var address: UInt64?
    var direction: DMADirection?
    var attributes: DMAAttributes?
    var fill: Fill?
    /// Where and when the op ran (schema 8: `ops.cpu`, `ops.time_ns`).
    var cpu = 0
    var time: UInt64?

    init(kind: OpKind) { self.kind = kind }
}

// MARK: Op → columns

extension OpFields {
    init(_ op: borrowing Op) {
        self.init(kind: op.kind)
        cpu = op.cpu
        time = op.time
        switch op.call {
        case .machine: break
        case .region(let spec): device = NameRef(.region, spec.name)
        case .iommu(let spec): device = NameRef(.iommu, spec.name)
        case .device(let spec): device = NameRef(.device, spec.name)
        case .swiotlb: break
        case .alloc(let call):
            handle = NameRef(.state, call.state); device = NameRef(.device, call.device)
            phys = call.phys; length = call.sizeBytes
        case .link(let call):
            setState(call.state, offset: call.offset, length: call.length, call.direction, call.attributes)
            phys = call.phys
        case .sync(let call): setState(call.state, offset: call.offset, length: call.length)
        case .unlink(let call): setState(call.state, offset: call.offset, length: call.length, call.direction, call.attributes)
        case .destroy(let call): setState(call.state, length: call.mappedLength, call.direction, call.attributes)
        case .free(let call): setState(call.state)
        case .map(let call):
            setMapping(call.mapping, length: call.length, call.direction, call.attributes)
            device = NameRef(.device, call.device); phys = call.phys
        case .unmap(let call): setMapping(call.mapping, length: call.length, call.direction, call.attributes)
        case .syncForCPU(let call), .syncForDevice(let call):
            setMapping(call.mapping, length: call.length, call.direction); offset = call.offset
        case .mappingError(let call): setMapping(call.mapping)
        case .cpuWrite(let access): phys = access.phys; length = access.length; fill = access.fill
        case .cpuRead(let access): phys = access.phys; length = access.length
        case .deviceWrite(let access): setAccess(access.device, access.address, access.length); fill = access.fill
        case .deviceRead(let access): setAccess(access.device, access.address, access.length)
        case .flush(let call):
            // The IOMMU in `device`; a device whose domain alone is flushed in `handle`.
            device = NameRef(.iommu, call.iommu); handle = call.device.map { NameRef(.device, $0) }
            offset = call.ranAt  // `at=`: when the timer ran, if before the op
        case .detach(let call): device = NameRef(.device, call.device)
        case .checkpoint(let call): handle = NameRef(.checkpoint, call.name)
        case .verify(let call): handle = NameRef(.checkpoint, call.name)
        case .advance(let call): length = call.nanoseconds
        }
    }

    private mutating func setState(_ state: String, offset: UInt64? = nil, length: UInt64? = nil,
                                   _ direction: DMADirection? = nil, _ attributes: DMAAttributes? = nil) {
        handle = NameRef(.state, state)
        self.offset = offset; self.length = length; self.direction = direction; self.attributes = attributes
    }

    private mutating func setMapping(_ mapping: String, length: UInt64? = nil,
                                     _ direction: DMADirection? = nil, _ attributes: DMAAttributes? = nil) {
        handle = NameRef(.mapping, mapping)
        self.length = length; self.direction = direction; self.attributes = attributes
    }

    /// A device access: an absolute address, or a handle and an offset.
    private mutating func setAccess(_ device: String, _ target: DeviceAddress, _ length: UInt64) {
        self.device = NameRef(.device, device)
        self.length = length
        switch target {
        case .absolute(let value): address = value
        case .state(let name, let offset): handle = NameRef(.state, name); self.offset = offset
        case .mapping(let name, let offset): handle = NameRef(.mapping, name); self.offset = offset
        }
    }
}

// MARK: columns → Op

extension OpFields {
    /// The op these columns hold. `topology` is the spec op from the `topology` table,
    /// required for topology kinds. Throws a reason when a column the kind needs is missing.
    func op(topology: Op?) throws(OpFieldsProblem) -> Op {
        var op = try call(topology: topology)
        op.cpu = cpu
        op.time = time
        return op
    }

    private func call(topology: Op?) throws(OpFieldsProblem) -> Op {
        switch kind {
        case .machine, .region, .iommu, .device, .swiotlb:
            guard let topology, topology.kind == kind else { throw OpFieldsProblem("no \(kind.rawValue) row in topology") }
            return topology
        case .alloc:
            return .alloc(AllocOp(state: try name(handle, "handle"), device: try name(device, "device"),
                                  phys: try need(phys, "phys"), sizeBytes: try need(length, "length")))
        case .link:
            return .link(LinkOp(state: try name(handle, "handle"), offset: try need(offset, "offset"), phys: try need(phys, "phys"),
                                length: try need(length, "length"), direction: try need(direction, "dir"), attributes: attributes ?? []))
        case .sync:
            return .sync(SyncOp(state: try name(handle, "handle"), offset: try need(offset, "offset"), length: try need(length, "length")))
        case .unlink:
            return .unlink(UnlinkOp(state: try name(handle, "handle"), offset: try need(offset, "offset"), length: try need(length, "length"),
                                    direction: try need(direction, "dir"), attributes: attributes ?? []))
        case .destroy:
            return .destroy(DestroyOp(state: try name(handle, "handle"), mappedLength: try need(length, "length"),
                                      direction: try need(direction, "dir"), attributes: attributes ?? []))
        case .free:
            return .free(FreeOp(state: try name(handle, "handle")))
        default:
            return try streamingOrDataOp()
        }
    }

    private func streamingOrDataOp() throws(OpFieldsProblem) -> Op {
        switch kind {
        case .map:
            return .map(MapOp(mapping: try name(handle, "handle"), device: try name(device, "device"), phys: try need(phys, "phys"),
                              length: try need(length, "length"), direction: try need(direction, "dir"), attributes: attributes ?? []))
        case .unmap:
            return .unmap(UnmapOp(mapping: try name(handle, "handle"), length: try need(length, "length"),
                                  direction: try need(direction, "dir"), attributes: attributes ?? []))
        case .syncForCPU: return .syncForCPU(try streamingSync())
        case .syncForDevice: return .syncForDevice(try streamingSync())
        case .mappingError: return .mappingError(MappingErrorOp(mapping: try name(handle, "handle")))
        case .cpuWrite:
            return .cpuWrite(CPUWriteOp(phys: try need(phys, "phys"), length: try need(length, "length"), fill: try need(fill, "fill")))
        case .cpuRead:
            return .cpuRead(CPUReadOp(phys: try need(phys, "phys"), length: try need(length, "length")))
        case .deviceWrite:
            return .deviceWrite(DeviceWriteOp(device: try name(device, "device"), address: try deviceAddress(),
                                              length: try need(length, "length"), fill: try need(fill, "fill")))
        case .deviceRead:
            return .deviceRead(DeviceReadOp(device: try name(device, "device"), address: try deviceAddress(), length: try need(length, "length")))
        case .flush: return .flush(FlushOp(iommu: try name(device, "device"), device: handle?.name, ranAt: offset))
        case .detach: return .detach(DetachOp(device: try name(device, "device")))
        case .checkpoint: return .checkpoint(CheckpointOp(name: try name(handle, "handle")))
        case .verify: return .verify(VerifyOp(name: try name(handle, "handle")))
        case .advance: return .advance(AdvanceOp(nanoseconds: try need(length, "length")))
        default: preconditionFailure("op(topology:) handles \(kind)")
        }
    }

    private func streamingSync() throws(OpFieldsProblem) -> StreamingSyncOp {
        StreamingSyncOp(mapping: try name(handle, "handle"), offset: try need(offset, "offset"),
                        length: try need(length, "length"), direction: try need(direction, "dir"))
    }

    private func deviceAddress() throws(OpFieldsProblem) -> DeviceAddress {
        if let address { return .absolute(address) }
        guard let handle else { throw OpFieldsProblem("neither address nor handle") }
        let offset = try need(offset, "offset")
        return handle.kind == .mapping ? .mapping(handle.name, offset: offset) : .state(handle.name, offset: offset)
    }

    private func need<Value>(_ value: Value?, _ column: String) throws(OpFieldsProblem) -> Value {
        guard let value else { throw OpFieldsProblem("\(kind.rawValue) without \(column)") }
        return value
    }

    private func name(_ reference: NameRef?, _ column: String) throws(OpFieldsProblem) -> String {
        try need(reference, column).name
    }
}
