import DMASim
import OpScript

/// One module command per script line (the language is in oracle/module/ops.c):
///   alloc S D PHYS SIZE        dma_iova_try_alloc()
///   link S OFF PHYS LEN DIR ATTRS, sync S OFF LEN, unlink S OFF LEN DIR ATTRS,
///   destroy S MAPPED DIR ATTRS, free S
///   map M D PHYS LEN DIR ATTRS  dma_map_phys(); unmap M LEN DIR ATTRS; maperr M
///   synccpu/syncdev M OFF LEN DIR   dma_sync_single_for_cpu/device(addr + OFF)
///   cpuw PHYS LEN DOFF, cpur PHYS LEN   through the kernel's mapping of the memory
///   devw D ADDR LEN DOFF, devr D ADDR LEN   edu's DMA engine, at a DMA address
///   wait MS   sleep with interrupts on (`flush`, `advance`: the flush queue's timer runs)
///   memsum    what memory holds (`checkpoint`, `verify`)
/// each prefixed by the script's line number; "+mem" asks for memory's digests after it.
extension PlanBuilder {
    mutating func buildLines() {
        var states: [String: HandleSlot] = [:]
        var mappings: [String: HandleSlot] = [:]
        var lastTime: UInt64?
        for line in script.lines {
            let action: LinePlan.Action
            defer { if let time = line.op.time { lastTime = time } }
            if case .device(let spec) = line.op.call, let why = skippedDevices[spec.name] {
                // left out of the model's run too: a non-coherent device alone gives the
                // model a CPU cache that CPU writes then sit in
                action = .skipped("not mirrored: " + why)
            } else if line.op.kind.isTopology {
                action = .topology
            } else if let why = modelRejected[line.lineNumber] {
                action = .skipped("the model rejects it (\(why)): a fault of the script, no kernel call")
            } else if let why = memorySkips[line.lineNumber] ?? timing(line.op, after: lastTime) {
                action = .skipped(why)
            } else {
                action = command(for: line, states: &states, mappings: &mappings)
            }
            plan.lines.append(LinePlan(line: line, action: action))
        }
        plan.notes += skippedDevices.sorted { $0.key < $1.key }.map { "device \($0.key) is not mirrored: \($0.value)" }
    }

    /// The index the module knows a handle by, or why its declaration was not sent.
    enum HandleSlot {
        case index(Int, device: DevicePlan)
        case skipped(line: Int)
    }

    private mutating func command(
        for line: ScriptLine, states: inout [String: HandleSlot], mappings: inout [String: HandleSlot]
    ) -> LinePlan.Action {
        let n = line.lineNumber
        func dev(_ name: String) -> Result<DevicePlan, Skip> {
            if let device = deviceByName[name] { return .success(device) }
            return .failure(Skip("device \(name) is not mirrored: \(skippedDevices[name] ?? "undeclared")"))
        }
        func slot(_ name: String, in table: [String: HandleSlot], _ what: String) -> Result<(Int, DevicePlan), Skip> {
            switch table[name] {
            case .index(let index, let device)?: return .success((index, device))
            case .skipped(let declared)?: return .failure(Skip("\(what) \(name) was not sent (line \(declared))"))
            case nil: return .failure(Skip("\(what) \(name) is not declared before it"))
            }
        }
        func declare(_ name: String, in table: inout [String: HandleSlot], device: Result<DevicePlan, Skip>) -> Result<(Int, DevicePlan), Skip> {
            switch device {
            case .success(let device):
                let index: Int
                if case .index(let old, _)? = table[name] { index = old } else { index = table.count }
                table[name] = .index(index, device: device)
                return .success((index, device))
            case .failure(let skip):
                table[name] = .skipped(line: n)
                return .failure(skip)
            }
        }

        let result: Result<(String, Bool), Skip>
        switch line.op.call {
        case .alloc(let call):
            result = declare(call.state, in: &states, device: dev(call.device)).map { index, device in
                ("alloc \(index) \(device.index) \(allocPhys(call.phys)) \(hex(call.sizeBytes))", false)
            }
        case .link(let call):
            result = slot(call.state, in: states, "state").flatMap { index, _ in
                phys(call.phys, call.length).map { p in
                    ("link \(index) \(hex(call.offset)) \(p) \(hex(call.length)) \(call.direction.kernelValue) \(hex(UInt64(call.attributes.rawValue)))", false)
                }
            }
        case .sync(let call):
            result = slot(call.state, in: states, "state").map { index, _ in
                ("sync \(index) \(hex(call.offset)) \(hex(call.length))", false)
            }
        case .unlink(let call):
            result = slot(call.state, in: states, "state").map { index, _ in
                ("unlink \(index) \(hex(call.offset)) \(hex(call.length)) \(call.direction.kernelValue) \(hex(UInt64(call.attributes.rawValue)))", true)
            }
        case .destroy(let call):
            result = slot(call.state, in: states, "state").map { index, _ in
                ("destroy \(index) \(hex(call.mappedLength)) \(call.direction.kernelValue) \(hex(UInt64(call.attributes.rawValue)))", true)
            }
        case .free(let call):
            result = slot(call.state, in: states, "state").map { index, _ in ("free \(index)", false) }
        case .map(let call):
            let device = dev(call.device).flatMap { device in
                phys(call.phys, call.length).flatMap { _ in directMaskCheck(device, call.phys, call.length).map { device } }
            }
            result = declare(call.mapping, in: &mappings, device: device).flatMap { index, device in
                phys(call.phys, call.length).map { p in
                    ("map \(index) \(device.index) \(p) \(hex(call.length)) \(call.direction.kernelValue) \(hex(UInt64(call.attributes.rawValue)))", false)
                }
            }
        case .unmap(let call):
            result = slot(call.mapping, in: mappings, "mapping").map { index, _ in
                ("unmap \(index) \(hex(call.length)) \(call.direction.kernelValue) \(hex(UInt64(call.attributes.rawValue)))", true)
            }
        case .syncForCPU(let call), .syncForDevice(let call):
            let verb = line.op.kind == .syncForCPU ? "synccpu" : "syncdev"
            result = slot(call.mapping, in: mappings, "mapping").map { index, _ in
                ("\(verb) \(index) \(hex(call.offset)) \(hex(call.length)) \(call.direction.kernelValue)", verb == "synccpu")
            }
        case .mappingError(let call):
            result = slot(call.mapping, in: mappings, "mapping").map { index, _ in ("maperr \(index)", false) }
        case .cpuWrite(let call):
            result = phys(call.phys, call.length).map { p in
                ("cpuw \(p) \(hex(call.length)) \(hex(appendData(call.fill, call.length)))", true)
            }
        case .cpuRead(let call):
            result = phys(call.phys, call.length).map { p in ("cpur \(p) \(hex(call.length))", false) }
        case .deviceWrite(let access):
            result = deviceAccess(access.device, access.address, access.length, states, mappings).map { device, address in
                ("devw \(device.index) \(address) \(hex(access.length)) \(hex(appendData(access.fill, access.length)))", true)
            }
        case .deviceRead(let access):
            result = deviceAccess(access.device, access.address, access.length, states, mappings).map { device, address in
                ("devr \(device.index) \(address) \(hex(access.length))", false)
            }
        case .flush:
            // the flush queue's timer (fq_flush_timeout, 10 ms) runs while the module sleeps
            result = .success(("wait 50", false))
        case .advance(let call):
            result = call.nanoseconds >= OracleTranslator.timerSlackNanoseconds
                ? .success(("wait \((call.nanoseconds + 999_999) / 1_000_000)", false))
                : .failure(Skip("advance of less than 20 ms: whether the flush queue's 10 ms timer fires depends on how long the guest took over the ops before"))
        case .checkpoint, .verify:
            result = plan.extents.isEmpty ? .failure(Skip("no memory is backed: nothing to compare"))
                : .success(("memsum", false))
        case .detach:
            result = .failure(Skip("detach: the module keeps its devices bound (no kernel call to compare)"))
        default:
            result = .failure(Skip("no kernel translation for '\(line.op.kind.rawValue)'"))
        }
        switch result {
        case .success(let (text, memory)):
            let reportsMemory = memory && !plan.extents.isEmpty
            return .command("\(n) \(text)" + (reportsMemory ? " +mem" : ""), memory: reportsMemory)
        case .failure(let skip):
            return .skipped(skip.reason)
        }
    }

    /// The guest has one vCPU, and its clock runs on while the ops run (edu takes 100 ms per
    /// transfer, with interrupts off): only a gap long enough for every 10 ms flush-queue
    /// timer to have fired in the model too is waited for; shorter ones cannot be mirrored.
    private func timing(_ op: Op, after lastTime: UInt64?) -> String? {
        if op.cpu != 0 { return "cpu=\(op.cpu): the guest runs every op on its one CPU" }
        if let time = op.time, let lastTime, time >= lastTime, time - lastTime >= OracleTranslator.timerSlackNanoseconds / 2 {
            return "time= \((time - lastTime) / 1_000_000) ms after the op before: the guest cannot replay the script's clock"
        }
        return nil
    }

    struct Skip: Error { var reason: String; init(_ reason: String) { self.reason = reason } }

    /// A backed physical range as "E:OFF".
    private func phys(_ phys: UInt64, _ length: UInt64) -> Result<String, Skip> {
        guard let extent = extent(holding: phys, length: max(length, 1)) else {
            return .failure(Skip("[\(hex(phys)), +\(hex(length))) has no guest memory"))
        }
        return .success(extentAddress(extent, phys))
    }

    /// The page the address falls in, when backed; otherwise its offset in the page is all
    /// dma_iova_try_alloc() uses.
    private func allocPhys(_ phys: UInt64) -> String {
        if let extent = extent(holding: phys, length: 1) { return extentAddress(extent, phys) }
        return hex(phys & 0xfff)
    }

    /// dma-direct checks the physical address against the mask (dma_capable()): the guest's
    /// range must be on the same side of the mask as the script's. `ram` extents lie below
    /// 768 MiB (mem=), `shared` ones where buildExtents() put them.
    private func directMaskCheck(_ device: DevicePlan, _ phys: UInt64, _ length: UInt64) -> Result<Void, Skip> {
        guard device.isDirect else { return .success(()) }
        let (end, wraps) = phys.addingReportingOverflow(max(length, 1) - 1)
        guard !wraps, let extent = extent(holding: phys, length: max(length, 1)) else { return .success(()) }
        let guestEnd: UInt64
        switch extent.backing {
        case .ram: guestEnd = OracleTranslator.hiddenBase - 1      // anywhere below mem=768M
        case .hidden(let base): guestEnd = base + (end - extent.scriptBase)
        }
        guard (end <= device.dmaMask) == (guestEnd <= device.dmaMask) else {
            return .failure(Skip("dma-direct against a \(device.dmaBits)-bit mask: the guest's copy of this range lies on the other side of the mask, so dma_capable() would not judge it as the model does"))
        }
        return .success(())
    }

    private func deviceAccess(
        _ name: String, _ address: DeviceAddress, _ length: UInt64,
        _ states: [String: HandleSlot], _ mappings: [String: HandleSlot]
    ) -> Result<(DevicePlan, String), Skip> {
        guard let device = deviceByName[name] else {
            return .failure(Skip("device \(name) is not mirrored: \(skippedDevices[name] ?? "undeclared")"))
        }
        guard length > 0, length <= OracleTranslator.accessLimit else {
            return .failure(Skip("a device access of \(length) bytes: the module moves 1 to 1 MiB"))
        }
        func handle(_ table: [String: HandleSlot], _ name: String, _ kind: Character) -> Result<String, Skip> {
            switch table[name] {
            case .index(let index, _)?: return .success("\(kind):\(index)")
            case .skipped(let line)?: return .failure(Skip("\(name) was not sent (line \(line))"))
            case nil: return .failure(Skip("\(name) is not declared before it"))
            }
        }
        switch address {
        case .state(let name, let offset):
            return handle(states, name, "s").map { (device, "\($0):\(hex(offset))") }
        case .mapping(let name, let offset):
            return handle(mappings, name, "m").map { (device, "\($0):\(hex(offset))") }
        case .absolute(let value):
            guard device.isDirect else { return .success((device, hex(value))) }   // an IOVA
            guard let extent = extent(holding: value, length: length) else {
                return .failure(Skip("physical address \(hex(value)) has no guest memory"))
            }
            return .success((device, "e:\(extentAddress(extent, value))"))
        }
    }

    /// Renders `length` bytes of the fill into the data file; returns their offset.
    private mutating func appendData(_ fill: Fill, _ length: UInt64) -> UInt64 {
        let offset = UInt64(plan.data.count)
        plan.data.append(contentsOf: repeatElement(0, count: Int(length)))
        plan.data.withUnsafeMutableBytes { bytes in
            fill.render(into: UnsafeMutableRawBufferPointer(rebasing: bytes[Int(offset)...]), from: 0)
        }
        return offset
    }
}
