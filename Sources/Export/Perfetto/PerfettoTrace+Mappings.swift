import DMASim
import Journal

// IOVA states and streaming mappings as tracks: each one's life as a complete slice, and
// the ranges its links or map put in the page table (`mapping_spans`) nested inside it.
// Lives and ranges are read by two queries in seq order and merged, so every slice comes
// in order of its start, as `NestingLanes` needs.
extension PerfettoTrace {
    /// A life being drawn: ranges mapped while it lasts belong to it.
    struct OpenLife {
        var startSeq: Int64
        var endSeq: Int64?
        var endNanoseconds: Int64
    }

    private struct LifeEnding: Comparable {
        var seq: Int64
        var handle: String
        static func < (left: LifeEnding, right: LifeEnding) -> Bool { (left.seq, left.handle) < (right.seq, right.handle) }
    }

    func writeLivesAndRanges(flows: FaultFlows) throws(ExportError) {
        let lives = try runner.rows(Self.livesSQL(firstSeq: firstSeq, lastSeq: lastSeq))
        let ranges = try runner.rows(Self.rangesSQL(firstSeq: firstSeq, lastSeq: lastSeq))
        var openLives: [String: OpenLife] = [:]
        var endings = MinHeap<LifeEnding>()
        var moreLives = try lives.advance(), moreRanges = try ranges.advance()
        while moreLives || moreRanges {
            let lifeSeq = lives.integer(at: LifeColumn.startSeq.rawValue) ?? 0
            let rangeSeq = ranges.integer(at: RangeColumn.mappedSeq.rawValue) ?? 0
            // Lives over by now take no more ranges: forget them, so memory follows the
            // lives alive at once.
            let now = moreLives && moreRanges ? min(lifeSeq, rangeSeq) : moreLives ? lifeSeq : rangeSeq
            while let ending = endings.minimum, ending.seq <= now {
                _ = endings.removeMinimum()
                if openLives[ending.handle]?.endSeq == ending.seq { openLives[ending.handle] = nil }
            }
            // At one seq the life (a map) comes before the range it mapped.
            if moreLives, !moreRanges || lifeSeq <= rangeSeq {
                let (handle, life) = writeLife(lives)
                openLives[handle] = life
                if let end = life.endSeq { endings.insert(LifeEnding(seq: end, handle: handle)) }
                moreLives = try lives.advance()
            } else {
                let handle = ranges.text(at: RangeColumn.handle.rawValue) ?? "?"
                let mappedSeq = ranges.integer(at: RangeColumn.mappedSeq.rawValue) ?? 0
                let life = openLives[handle].flatMap { life in
                    life.startSeq <= mappedSeq && life.endSeq.map { mappedSeq < $0 } ?? true ? life : nil
                }
                if life == nil { openLives[handle] = nil }
                writeRange(ranges, life: life, flows: flows)
                moreRanges = try ranges.advance()
            }
        }
    }

    // MARK: lives

    private enum LifeColumn: Int {
        case startSeq, startedBy, deviceID, handle, address, size, endSeq, endedBy
    }

    /// try_alloc (or map) that succeeded, to the destroy or free (or unmap) that ended it,
    /// or to the next alloc (or map) of the handle, which overwrote it, as the
    /// `state_lifetimes` view has them; those alive in the window.
    static func livesSQL(firstSeq: Int64, lastSeq: Int64) -> String {
        """
        SELECT s.seq, k.name, s.device, h.name, s.out_address, s.length, e.seq, ek.name
        FROM ops s
        JOIN op_kind k ON k.code = s.kind AND k.name IN ('alloc', 'map')
        JOIN names h ON h.id = s.handle
        LEFT JOIN ops e ON e.seq = (
                SELECT x.seq FROM ops x JOIN op_kind xk ON xk.code = x.kind
                 WHERE x.handle = s.handle AND x.seq > s.seq AND x.status <> (SELECT code FROM status_kind WHERE name = 'rejected')
                   AND (xk.name = k.name OR (k.name = 'alloc' AND xk.name IN ('destroy', 'free')) OR (k.name = 'map' AND xk.name = 'unmap'))
                 ORDER BY x.seq LIMIT 1)
        LEFT JOIN op_kind ek ON ek.code = e.kind
        WHERE s.status = 0 AND s.seq <= \(lastSeq) AND (e.seq IS NULL OR e.seq > \(firstSeq))
        ORDER BY s.seq
        """
    }

    private func writeLife(_ row: QueryCursor) -> (String, OpenLife) {
        let integer = { (column: LifeColumn) in row.integer(at: column.rawValue) }
        let startSeq = integer(.startSeq) ?? 0, endSeq = integer(.endSeq)
        let start = max(nanoseconds(atSeq: startSeq), startNanoseconds)
        let end = min(endSeq.map(nanoseconds(atSeq:)) ?? endNanoseconds, endNanoseconds)
        let handle = row.text(at: LifeColumn.handle.rawValue) ?? "?"
        let isState = row.text(at: LifeColumn.startedBy.rawValue) == "alloc"
        let address = row.unsigned(at: LifeColumn.address.rawValue), size = integer(.size)
        let name = "\(handle) " + (isState ? "IOVA state" : "mapping") + (address.map { " 0x" + String($0, radix: 16) } ?? "")
            + (size.map { " +\(HistogramChart.shortLabel(UInt64(max($0, 0))))" } ?? "")
        var event = TraceEvent(name: name, category: isState ? "iova-state" : "streaming-mapping", phase: .complete,
                               timeNanoseconds: start, durationNanoseconds: max(end - start, 0),
                               track: tracks.lifeTrack(of: integer(.deviceID), handle: handle, start: start, end: end, life: startSeq))
        event.args.add("handle", text: handle)
        event.args.add(isState ? "iova" : "dma_addr", hex: address)
        event.args.add(isState ? "size" : "length", integer: size)
        event.args.add("started_by", text: row.text(at: LifeColumn.startedBy.rawValue))
        event.args.add("started_seq", integer: startSeq)
        event.args.add("ended_by", text: row.text(at: LifeColumn.endedBy.rawValue) ?? "still live at the end")
        event.args.add("ended_seq", integer: endSeq)
        write(event)
        summary.lifeSlices += 1
        return (handle, OpenLife(startSeq: startSeq, endSeq: endSeq, endNanoseconds: end))
    }

    // MARK: ranges

    private enum RangeColumn: Int {
        case mappedSeq, idx, mappedBy, deviceID, handle, iova, phys, length, prot, bounced, unmappedSeq, unmappedBy
    }

    /// `mapping_spans` computes unmapped_seq with a scalar subquery (a `range_ends` lookup,
    /// or for a journal never sealed a search of later ops). Flattened into this query,
    /// each mention of the column would run it again; `LIMIT -1 OFFSET 0` keeps the view a
    /// subquery evaluated once per row, and keeps the outer filter from being pushed into it.
    static func rangesSQL(firstSeq: Int64, lastSeq: Int64) -> String {
        """
        SELECT s.mapped_seq, s.idx, s.mapped_by, s.device_id, s.handle, s.iova, s.phys, s.length, s.prot, s.bounced,
               s.unmapped_seq, (SELECT k.name FROM ops u JOIN op_kind k ON k.code = u.kind WHERE u.seq = s.unmapped_seq)
        FROM (SELECT mapped_seq, idx, mapped_by, device_id, handle, iova, phys, length, prot, bounced, unmapped_seq
                FROM mapping_spans WHERE mapped_seq <= \(lastSeq)
               ORDER BY mapped_seq, idx LIMIT -1 OFFSET 0) s
        WHERE s.unmapped_seq IS NULL OR s.unmapped_seq > \(firstSeq)
        """
    }

    private func writeRange(_ row: QueryCursor, life: OpenLife?, flows: FaultFlows) {
        let integer = { (column: RangeColumn) in row.integer(at: column.rawValue) }
        let unsigned = { (column: RangeColumn) in row.unsigned(at: column.rawValue) ?? 0 }
        let text = { (column: RangeColumn) in row.text(at: column.rawValue) }
        // Cut at the window's edges; a range still mapped at the end runs to the trace's end.
        let mappedSeq = integer(.mappedSeq) ?? 0
        let start = max(nanoseconds(atSeq: mappedSeq), startNanoseconds)
        let end = min(integer(.unmappedSeq).map(nanoseconds(atSeq:)) ?? endNanoseconds, endNanoseconds)
        let iova = unsigned(.iova), phys = unsigned(.phys), length = unsigned(.length)
        let handle = text(.handle) ?? "?"
        let placed = tracks.rangeTrack(of: integer(.deviceID), handle: handle, start: start, end: end, life: life?.startSeq)
        let outlived = life.map { end > $0.endNanoseconds } ?? false
        var event = TraceEvent(name: "0x\(String(iova, radix: 16)) +\(HistogramChart.shortLabel(length))" + (outlived ? " (still mapped after \(handle) ended)" : ""),
                               category: "mapping", phase: .complete, timeNanoseconds: start, durationNanoseconds: max(end - start, 0),
                               track: placed.track)
        if let id = flows.flowID(ofRange: mappedSeq, idx: integer(.idx) ?? -1) { event.flow = .out(id: id) }
        event.args.add("handle", text: handle)
        event.args.add("iova", hex: iova)
        event.args.add("iova_end", hex: iova &+ length)
        event.args.add("phys", hex: phys)
        event.args.add("phys_end", hex: phys &+ length)
        event.args.add("length", integer: Int64(bitPattern: length))
        event.args.add("prot", text: IOMMUProt(rawValue: UInt8(truncatingIfNeeded: integer(.prot) ?? 0)).shortDescription)
        event.args.add("bounced", .flag(integer(.bounced) == 1))
        event.args.add("mapped_by", text: text(.mappedBy))
        event.args.add("mapped_seq", integer: mappedSeq)
        event.args.add("unmapped_by", text: text(.unmappedBy) ?? "still mapped at the end")
        event.args.add("unmapped_seq", integer: integer(.unmappedSeq))
        write(event)
        summary.mappingSlices += 1
        if !placed.nested, life != nil { summary.unnestedRanges += 1 }
    }
}
