import DMASim
import Journal

// Faults (with the verdict of `fault_history` and a flow arrow from the range that last
// covered the address), misuse findings, kernel warnings and side events, each on the
// "events" thread of the device or IOMMU whose op caused it.
extension PerfettoTrace {
    /// Each fault is a zero-length slice rather than an instant: the format binds flow
    /// arrows to slices only.
    func writeFaults(flows: FaultFlows) throws(ExportError) {
        let sql = """
            SELECT f.fault_seq, 0, o.device, k.name, f.fault_kind, o.fault_address,
                   f.verdict, f.last_handle, f.mapped_seq, f.unmapped_seq
            FROM fault_history f JOIN ops o ON o.seq = f.fault_seq JOIN op_kind k ON k.code = o.kind
            WHERE \(inWindow("f.fault_seq"))
            ORDER BY f.fault_seq
            """
        summary.faults = try writeInstants(sql) { row in
            var event = instant("fault \(row.text(at: 4) ?? "")", category: "fault", row, scope: .thread)
            event.phase = .complete
            event.scope = nil
            event.durationNanoseconds = 0
            if let id = flows.flowID(ofFault: row.integer(at: 0) ?? -1) {
                event.flow = .in(id: id)
                summary.faultFlows += 1
            }
            event.args.add("fault_kind", text: row.text(at: 4))
            event.args.add("address", hex: row.unsigned(at: 5))
            event.args.add("verdict", text: row.text(at: 6))
            event.args.add("last_handle", text: row.text(at: 7))
            event.args.add("last_mapped_seq", integer: row.integer(at: 8))
            event.args.add("last_unmapped_seq", integer: row.integer(at: 9))
            return event
        }
    }

    /// Process-scoped, so a viewer draws them across the whole device.
    func writeFindings() throws(ExportError) {
        let sql = """
            SELECT f.seq, 0, o.device, k.name, f.class, f.handle, f.message
            FROM findings f CROSS JOIN ops o ON o.seq = f.seq JOIN op_kind k ON k.code = o.kind
            WHERE \(inWindow("f.seq"))
            ORDER BY f.seq, f.idx
            """
        summary.findings = try writeInstants(sql) { row in
            var event = instant(row.text(at: 4) ?? "finding", category: "finding", row, scope: .process)
            event.args.add("handle", text: row.text(at: 5))
            event.args.add("message", text: row.text(at: 6))
            return event
        }
    }

    func writeWarnings() throws(ExportError) {
        let sql = """
            SELECT w.seq, 0, o.device, k.name, w.text
            FROM warnings w CROSS JOIN ops o ON o.seq = w.seq JOIN op_kind k ON k.code = o.kind
            WHERE \(inWindow("w.seq"))
            ORDER BY w.seq, w.idx
            """
        summary.warnings = try writeInstants(sql) { row in
            var event = instant("kernel warning", category: "kernel", row, scope: .thread)
            event.args.add("text", text: row.text(at: 4))
            return event
        }
    }

    /// Every side event but `kernel-warning`, whose text the warnings pass carries.
    func writeSideEvents() throws(ExportError) {
        let sql = """
            SELECT e.seq, 0, o.device, k.name, ek.name, ek.address_space,
                   e.address, e.length, e.target
            FROM events e CROSS JOIN ops o ON o.seq = e.seq JOIN op_kind k ON k.code = o.kind JOIN event_kind ek ON ek.code = e.kind
            WHERE \(inWindow("e.seq")) AND ek.name <> 'kernel-warning'
            ORDER BY e.seq, e.idx
            """
        summary.sideEvents = try writeInstants(sql) { row in
            let name = row.text(at: 4) ?? "event"
            var event = instant(name, category: Self.category(of: name), row, scope: .thread)
            let space = row.text(at: 5) ?? "none"
            if space != "none" { event.args.add(space, hex: row.unsigned(at: 6)) }
            // A drain's length is the number of flush-queue entries it freed.
            event.args.add(name == SideEventKind.flushQueueDrained.rawValue ? "entries" : "length", integer: row.integer(at: 7))
            if let target = row.unsigned(at: 8), target != 0 { event.args.add("target", hex: target) }
            return event
        }
    }

    /// Writes one instant per row of `sql`; returns how many.
    private func writeInstants(_ sql: String, _ event: (QueryCursor) -> TraceEvent) throws(ExportError) -> Int {
        var count = 0
        try forEachRow(sql) { row in
            write(event(row))
            count += 1
        }
        return count
    }

    /// An instant from a row that starts with seq, (unused), owner id and op kind.
    private func instant(_ name: String, category: String, _ row: QueryCursor, scope: TraceEvent.Scope) -> TraceEvent {
        var event = TraceEvent(name: name, category: category, phase: .instant,
                               timeNanoseconds: row.integer(at: 0).map(nanoseconds(atSeq:)) ?? startNanoseconds, scope: scope,
                               track: tracks.eventsTrack(of: row.integer(at: 2)))
        event.args.add("seq", integer: row.integer(at: 0))
        event.args.add("op", text: row.text(at: 3))
        return event
    }

    /// The trace category of a side event: which part of the machine it concerns.
    static func category(of eventName: String) -> String {
        switch SideEventKind(rawValue: eventName) {
        case .iotlbSyncMap, .iotlbInvalidate, .iotlbFlushAll, .iotlbFill: return "iotlb"
        case .flushQueued, .flushQueueDrained: return "flush-queue"
        case .iovaFreed, .dacEnabled: return "iova"
        case .cacheClean, .cacheInvalidate: return "cache"
        case .bounceToDevice, .bounceToCPU: return "bounce"
        case .kernelWarning, .kernelOops: return "kernel"
        case .blockMapped: return "page-table"
        case nil: return "event"
        }
    }
}
