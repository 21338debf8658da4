import DMASim

/// Journals imported from real kernel traces (`dmajournal import`): ops whose arguments
/// may be partly unknown, each tied to the line it came from.
extension JournalWriter {
    /// Adds an imported file; its counts are filled in by `completeImportSource`.
    package func addImportSource(path: String) throws(JournalError) -> Int64 {
        let insert = openStatements.imports.insertSource
        insert.bind(path, at: 1)
        defer { insert.reset() }
        guard try insert.step(), let id = insert.int64(at: 0) else {
            preconditionFailure("INSERT … RETURNING id returned no row")
        }
        return id
    }

    /// Records op number `sequence` from a trace line: the op and outcome as the kernel's
    /// trace has them, NULL where the line said nothing, the claims it makes of the model
    /// (`ops.claims`: what the kernel did, as op-script text), and an `imported_ops` row for
    /// its origin.
    package func record(_ imported: ImportedOp, sequence: Int, claims: String? = nil) throws(JournalError) {
        let statements = openStatements
        var fields = OpFields(imported.op)
        fields.clear(imported.unknown)
        if fields.device == nil, let device = imported.device { fields.device = NameRef(.device, device) }
        if let address = imported.address { fields.address = address }
        try insert(fields, imported.op, outcome: imported.outcome, sequence: sequence,
                   sourceLine: imported.provenance?.line, claims: claims, unknownTopology: imported.unknown.topologyColumns, statements)
        if let provenance = imported.provenance {
            try insertProvenance(provenance, seq: Int64(sequence), statements.imports.insertImportedOp)
        }
        try countRecorded(statements)
    }

    /// Fills in what a file held once it has been read to the end.
    package func completeImportSource(id: Int64, totals: ImportSourceTotals) throws(JournalError) {
        let imports = openStatements.imports
        let update = imports.updateSource
        update.bind(totals.formats.joined(separator: ","), at: 1)
        update.bind(totals.lines, at: 2)
        update.bind(totals.events, at: 3)
        update.bind(totals.skipped, at: 4)
        update.bind(totals.joinedLines, at: 5)
        update.bind(totals.quotedLines, at: 6)
        update.bind(id, at: 7)
        try update.execute()
        for (event, count) in totals.eventCounts.sorted(by: { $0.key < $1.key }) {
            try insertCount(imports.insertEventCount, id, event, count)
        }
        for (reason, count) in totals.skipCounts.sorted(by: { $0.key < $1.key }) {
            try insertCount(imports.insertSkipReason, id, reason, count)
        }
        for example in totals.skipExamples {
            let insert = imports.insertSkip
            insert.bind(id, at: 1); insert.bind(example.line, at: 2); insert.bind(example.reason, at: 3); insert.bind(example.text, at: 4)
            try insert.execute()
        }
    }

    /// What the import's simulation filled in that the trace did not say (schema 009).
    package func addImportAssumptions(_ assumptions: [String]) throws(JournalError) {
        let insert = openStatements.imports.insertAssumption
        for text in assumptions {
            insert.bind(text, at: 1)
            try insert.execute()
        }
    }

    private func insertCount(_ insert: Statement, _ id: Int64, _ key: String, _ count: Int) throws(JournalError) {
        insert.bind(id, at: 1); insert.bind(key, at: 2); insert.bind(count, at: 3)
        try insert.execute()
    }

    private func insertProvenance(_ provenance: ImportProvenance, seq: Int64, _ insert: Statement) throws(JournalError) {
        insert.bind(seq, at: ImportedOpsColumn.seq.rawValue)
        insert.bind(provenance.sourceID, at: ImportedOpsColumn.sourceId.rawValue)
        insert.bind(provenance.line, at: ImportedOpsColumn.line.rawValue)
        insert.bind(provenance.lineCount, at: ImportedOpsColumn.lineCount.rawValue)
        insert.bind(provenance.sourceFormat, at: ImportedOpsColumn.sourceFormat.rawValue)
        insert.bind(provenance.kernelNaming, at: ImportedOpsColumn.kernelNaming.rawValue)
        insert.bind(provenance.timestampNanoseconds, at: ImportedOpsColumn.timestampNs.rawValue)
        insert.bind(provenance.wallClock, at: ImportedOpsColumn.wallClock.rawValue)
        insert.bind(provenance.cpu, at: ImportedOpsColumn.cpu.rawValue)
        insert.bind(provenance.task, at: ImportedOpsColumn.task.rawValue)
        insert.bind(provenance.pid, at: ImportedOpsColumn.pid.rawValue)
        insert.bind(provenance.note, at: ImportedOpsColumn.note.rawValue)
        // The line, the row's longest text, is bound without SQLite copying it: the insert
        // runs while it is in scope, and the binding is cleared before it goes.
        var raw = provenance.raw
        try raw.withUTF8 { bytes in
            Result { () throws(JournalError) in
                insert.bind(borrowingUTF8: bytes, at: ImportedOpsColumn.raw.rawValue)
                defer { insert.bind(nil as Int64?, at: ImportedOpsColumn.raw.rawValue) }
                try insert.execute()
            }
        }.get()
    }
}
