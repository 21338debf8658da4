import DMASim

/// The rows one op becomes: its `ops` row, then one row per range, event, finding,
/// warning, and the rejection reason.
extension JournalWriter {
    /// Inserts the ops row; returns the device id it was filed under.
    @discardableResult
    func insertOp(_ fields: OpFields, outcome: Outcome, seq: Int64, sourceLine: Int?, claims: String?, _ statements: WriterStatements) throws(JournalError) -> Int64? {
        let insert = statements.insertOp
        let handle = try statements.names.optionalID(of: fields.handle)
        var device = try statements.names.optionalID(of: fields.device)
        if let handle, let owner = device, fields.kind == .alloc || fields.kind == .map {
            statements.names.noteOwner(handle: handle, device: owner)
        } else if device == nil, let handle {
            device = statements.names.device(ofHandle: handle)
        }
        insert.bind(seq, at: OpsColumn.seq.rawValue)
        insert.bind(statements.codes.opKind.code(of: fields.kind), at: OpsColumn.kind.rawValue)
        insert.bind(device, at: OpsColumn.device.rawValue)
        insert.bind(handle, at: OpsColumn.handle.rawValue)
        insert.bind(fields.offset, at: OpsColumn.offset.rawValue)
        insert.bind(fields.length, at: OpsColumn.length.rawValue)
        insert.bind(fields.phys, at: OpsColumn.phys.rawValue)
        insert.bind(fields.address, at: OpsColumn.address.rawValue)
        insert.bind(fields.direction.map { Int64($0.kernelValue) }, at: OpsColumn.dir.rawValue)
        insert.bind(fields.attributes.map { Int64($0.rawValue) }, at: OpsColumn.attrs.rawValue)
        insert.bind(sourceLine, at: OpsColumn.sourceLine.rawValue)
        insert.bind(claims, at: OpsColumn.claims.rawValue)
        insert.bind(fields.cpu, at: OpsColumn.cpu.rawValue)
        insert.bind(fields.time, at: OpsColumn.timeNs.rawValue)
        bindOutcome(outcome, to: insert, statements.codes)
        // The fill's text is bound without a copy, so the insert runs while it is in scope,
        // and the binding is cleared before the text goes: no later step can read it.
        try FillText.withUTF8(of: fields.fill) { (fill) throws(JournalError) in
            insert.bind(borrowingUTF8: fill, at: OpsColumn.fill.rawValue)
            defer { insert.bind(nil as Int64?, at: OpsColumn.fill.rawValue) }
            try insert.execute()
        }
        return device
    }

    private func bindOutcome(_ outcome: Outcome, to insert: Statement, _ codes: JournalCodes) {
        insert.bind(codes.status.code(of: StatusKind(outcome.status)), at: OpsColumn.status.rawValue)
        var errno: Int64?
        if case .errno(let value) = outcome.status { errno = Int64(value.number) }
        insert.bind(errno, at: OpsColumn.errno.rawValue)
        insert.bind(outcome.address, at: OpsColumn.outAddress.rawValue)
        insert.bind(outcome.digest, at: OpsColumn.digest.rawValue)
        let fault = outcome.fault
        insert.bind(fault.map { codes.faultKind.code(of: $0.kind) }, at: OpsColumn.faultKind.rawValue)
        insert.bind(fault?.address, at: OpsColumn.faultAddress.rawValue)
    }

    /// Inserts an op's findings, warnings and rejection; its ranges and events wait in
    /// `pendingChildRows` for the batch's commit.
    func insertChildren(of outcome: Outcome, seq: Int64, _ statements: WriterStatements) throws(JournalError) {
        pendingChildRows.keep(rangesAndEventsOf: outcome, seq: seq)
        for (index, finding) in outcome.findings.enumerated() {
            try insertFinding(finding, seq: seq, index: index, statements.insertFinding)
        }
        for (index, warning) in outcome.warnings.enumerated() {
            let insert = statements.insertWarning
            insert.bind(seq, at: 1); insert.bind(index, at: 2); insert.bind(warning, at: 3)
            try insert.execute()
        }
        if case .rejected(let reason) = outcome.status {
            let insert = statements.insertRejection
            insert.bind(seq, at: 1); insert.bind(reason, at: 2)
            try insert.execute()
        }
    }

    /// Inserts the batch's kept ranges, then its events, each table in one run.
    func insertPendingChildRows(_ statements: WriterStatements) throws(JournalError) {
        for row in pendingChildRows.ranges {
            try insertRange(row.range, seq: row.seq, index: row.index, statements.insertRange)
        }
        for row in pendingChildRows.events {
            try insertEvent(row.event, seq: row.seq, index: row.index, statements)
        }
        pendingChildRows.removeAll()
    }

    private func insertRange(_ range: MappedRange, seq: Int64, index: Int, _ insert: Statement) throws(JournalError) {
        insert.bind(seq, at: 1)
        insert.bind(index, at: 2)
        insert.bind(range.iova, at: 3)
        insert.bind(range.phys, at: 4)
        insert.bind(range.length, at: 5)
        insert.bind(Int64(range.prot.rawValue), at: 6)
        insert.bind(range.bounced, at: 7)
        try insert.execute()
        noteRange(lengthBytes: range.length)
    }

    private func insertEvent(_ event: SideEvent, seq: Int64, index: Int, _ statements: WriterStatements) throws(JournalError) {
        let insert = statements.insertEvent
        insert.bind(seq, at: 1)
        insert.bind(index, at: 2)
        insert.bind(statements.codes.eventKind.code(of: event.kind), at: 3)
        insert.bind(event.address, at: 4)
        insert.bind(event.length, at: 5)
        insert.bind(event.target, at: 6)
        try insert.execute()
    }

    private func insertFinding(_ finding: Finding, seq: Int64, index: Int, _ insert: Statement) throws(JournalError) {
        insert.bind(seq, at: 1)
        insert.bind(index, at: 2)
        insert.bind(finding.misuse.rawValue, at: 3)
        insert.bind(finding.handle, at: 4)
        insert.bind(finding.message, at: 5)
        try insert.execute()
    }
}
