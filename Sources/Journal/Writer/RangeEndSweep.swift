import CSQLite

/// Fills `range_ends` (schema 7): for each mapped range, the op that took it out of the
/// page table, by the rules `mapping_spans` documents. One pass over the ops in seq
/// order, keeping only the ranges still open per handle, so its memory follows the live
/// mappings and its time the journal's length — where the view's correlated subquery
/// walked every later op of a long-lived state for every range it ever linked.
///
/// Run while sealing the journal (finish, recover, import), inside the seal's
/// transaction. Arithmetic is SQLite's signed 64-bit, as the view's.
enum RangeEndSweep {
    /// A range of a link or map not yet unmapped.
    private struct OpenRange {
        let seq: Int64
        let idx: Int64
        let iova: Int64
        let end: Int64
        let isMap: Bool
        /// The state's IOVA as its link computed it (returned IOVA − offset); nil for a
        /// map, or a link that returned no address (its ranges never match an unlink).
        let stateAddress: Int64?
    }

    private enum Role { case map, unmap, link, unlinkOrDestroy }

    static func store(_ database: Database) throws(JournalError) {
        try database.execute("DELETE FROM range_ends")
        let roles = try roleOfKindCode(database)
        let codes = roles.keys.map(String.init).joined(separator: ",")
        let walk = try database.prepare("""
            SELECT o.seq, o.kind, o.handle, o.offset, o.length, o.out_address, r.idx, r.iova, r.length
              FROM ops o LEFT JOIN mapped_ranges r ON r.seq = o.seq
             WHERE o.handle IS NOT NULL AND o.kind IN (\(codes))
             ORDER BY o.seq, r.idx
            """)
        let insert = try database.prepare("INSERT INTO range_ends (seq, idx, unmapped_seq) VALUES (?, ?, ?)")
        var open: [Int64: [OpenRange]] = [:]
        while try walk.step() {
            guard let seq = walk.int64(at: 0), let code = walk.int64(at: 1), let role = roles[code],
                  let handle = walk.int64(at: 2) else { continue }
            switch role {
            case .map, .link:
                guard let idx = walk.int64(at: 6), let iova = walk.int64(at: 7), let length = walk.int64(at: 8) else { continue }
                var stateAddress: Int64?
                if role == .link, let address = walk.int64(at: 5), let offset = walk.int64(at: 3) { stateAddress = address &- offset }
                open[handle, default: []].append(OpenRange(seq: seq, idx: idx, iova: iova, end: iova &+ length,
                                                           isMap: role == .map, stateAddress: stateAddress))
            case .unmap:
                try close(&open, handle: handle, by: seq, insert) { $0.isMap }
            case .unlinkOrDestroy:
                // A destroy has no offset: it unmaps from the state's start.
                guard let length = walk.int64(at: 4) else { continue }
                let offset = walk.int64(at: 3) ?? 0
                try close(&open, handle: handle, by: seq, insert) { range in
                    guard let address = range.stateAddress else { return false }
                    return address &+ offset < range.end && address &+ offset &+ length > range.iova
                }
            }
        }
        try database.execute("UPDATE run SET range_ends_through = (SELECT max(seq) FROM ops) WHERE id = 1")
    }

    /// Ends the open ranges of `handle` that `ends` selects at op `seq`. The list is
    /// filtered in place: a copy of a long-lived state's ranges per unlink would cost more
    /// than the scan.
    private static func close(_ open: inout [Int64: [OpenRange]], handle: Int64, by seq: Int64, _ insert: Statement,
                              where ends: (OpenRange) -> Bool) throws(JournalError) {
        var ended: [OpenRange] = []
        open[handle]?.removeAll { range in
            guard ends(range) else { return false }
            ended.append(range)
            return true
        }
        if open[handle]?.isEmpty == true { open[handle] = nil }
        for range in ended { try record(range, endedBy: seq, insert) }
    }

    private static func record(_ range: OpenRange, endedBy seq: Int64, _ insert: Statement) throws(JournalError) {
        insert.bind(range.seq, at: 1)
        insert.bind(range.idx, at: 2)
        insert.bind(seq, at: 3)
        try insert.execute()
    }

    /// Which op kinds open and close ranges, by their code in this journal.
    private static func roleOfKindCode(_ database: Database) throws(JournalError) -> [Int64: Role] {
        let byName: [String: Role] = ["map": .map, "unmap": .unmap, "link": .link, "unlink": .unlinkOrDestroy, "destroy": .unlinkOrDestroy]
        let statement = try database.prepare("SELECT code, name FROM op_kind")
        var roles: [Int64: Role] = [:]
        while try statement.step() {
            if let code = statement.int64(at: 0), let name = statement.text(at: 1), let role = byName[name] { roles[code] = role }
        }
        return roles
    }
}
