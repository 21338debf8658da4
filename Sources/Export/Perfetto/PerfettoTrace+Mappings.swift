import DMASim
import Journal

// Mapping lifetimes as complete slices, one per range in `mapping_spans`: from the link or
// map that put it in the page table to the unlink, destroy or unmap that took it out (or
// the end of the trace). Rows come in order of their start, as lane packing needs.
extension PerfettoTrace {
    private enum Column: Int {
        case mappedSeq, idx, mappedBy, deviceID, handle, iova, phys, length, prot, bounced
        case unmappedSeq, unmappedBy, mappedTime, unmappedTime
    }

    func writeMappingSlices() throws(ExportError) {
        // `mapping_spans` computes unmapped_seq with a scalar subquery (a `range_ends` lookup,
        // or for a journal never sealed a search of later ops). Flattened into this query,
        // each mention of the column would run it again (five times a row);
        // `LIMIT -1 OFFSET 0` keeps the view a subquery evaluated once per row, and keeps
        // the outer filter from being pushed into it.
        let mappedTime = timeBase.sql(timeOfSeq: "mapped_seq")
        let sql = """
            SELECT s.mapped_seq, s.idx, s.mapped_by, s.device_id, s.handle, s.iova, s.phys, s.length, s.prot, s.bounced,
                   s.unmapped_seq, (SELECT k.name FROM ops u JOIN op_kind k ON k.code = u.kind WHERE u.seq = s.unmapped_seq),
                   s.mapped_time, \(timeBase.sql(timeOfSeq: "s.unmapped_seq"))
            FROM (SELECT mapped_seq, idx, mapped_by, device_id, handle, iova, phys, length, prot, bounced, unmapped_seq,
                         \(mappedTime) AS mapped_time
                    FROM mapping_spans WHERE mapped_seq <= \(lastSeq)
                   ORDER BY \(mappedTime), mapped_seq, idx LIMIT -1 OFFSET 0) s
            WHERE s.unmapped_seq IS NULL OR s.unmapped_seq > \(firstSeq)
            """
        try forEachRow(sql) { row in write(mappingSlice(row)) }
    }

    private func mappingSlice(_ row: QueryCursor) -> TraceEvent {
        let integer = { (column: Column) in row.integer(at: column.rawValue) }
        let unsigned = { (column: Column) in row.unsigned(at: column.rawValue) ?? 0 }
        let text = { (column: Column) in row.text(at: column.rawValue) }
        // Cut at the window's edges; a range still mapped at the end runs to the trace's end.
        let start = max(nanoseconds(integer(.mappedTime)) ?? startNanoseconds, startNanoseconds)
        let end = min(nanoseconds(integer(.unmappedTime)) ?? endNanoseconds, endNanoseconds)
        let iova = unsigned(.iova), phys = unsigned(.phys), length = unsigned(.length)
        let handle = text(.handle) ?? "?"
        var event = TraceEvent(name: "\(handle) @0x\(String(iova, radix: 16))", category: "mapping", phase: .complete,
                               timeNanoseconds: start, durationNanoseconds: max(end - start, 0),
                               track: tracks.laneTrack(of: integer(.deviceID), start: start, end: end))
        event.args.add("handle", text: handle)
        event.args.add("iova", hex: iova)
        event.args.add("iova_end", hex: iova &+ length)
        event.args.add("phys", hex: phys)
        event.args.add("phys_end", hex: phys &+ length)
        event.args.add("length", integer: Int64(bitPattern: length))
        event.args.add("prot", text: IOMMUProt(rawValue: UInt8(truncatingIfNeeded: integer(.prot) ?? 0)).shortDescription)
        event.args.add("bounced", .flag(integer(.bounced) == 1))
        event.args.add("mapped_by", text: text(.mappedBy))
        event.args.add("mapped_seq", integer: integer(.mappedSeq))
        event.args.add("unmapped_by", text: text(.unmappedBy) ?? "still mapped at the end")
        event.args.add("unmapped_seq", integer: integer(.unmappedSeq))
        summary.mappingSlices += 1
        return event
    }
}
