import DMASim
import Journal

/// `dmajournal import`: reads kernel traces and logs and journals their DMA and IOMMU
/// events as ops, so the journal's views answer the same questions as on a simulation.
///
///     let importer = try TraceImporter(paths: ["trace.txt", "dmesg.txt"])
///     let summary = try importer.run(into: writer)
///
/// Pipeline, per file: `LineReader` (1 MiB blocks) → `LineJoiner` (mail quotes and
/// wrapped lines) → the line's prefix (ftrace, dmesg, syslog, QEMU) → the parser for its
/// format → `ParsedEvent`s. `SourceMerger` interleaves the files by time since boot;
/// `CallAssembler` folds the events of one kernel call into one and rebuilds two-step
/// requests; `EventJournaler` turns each call into ops and checks them; the journal writer stores
/// them with an `imported_ops` row each. The machine (devices, the IOMMU) is declared at
/// the end, when every device is known.
public final class TraceImporter {
    public let paths: [String]
    private let sources: [TraceSource]

    /// Opens every file first, so a missing one fails before anything is written.
    public init(paths: [String]) throws(TraceImportError) {
        let devices = DeviceDirectory()
        var sources: [TraceSource] = []
        for path in paths {
            guard let source = TraceSource(path: path, devices: devices) else { throw .unreadable(path: path) }
            sources.append(source)
        }
        self.paths = paths
        self.sources = sources
    }

    /// Imports every file into `writer` (which the caller finishes). Throws `noEvents`
    /// after writing when a file held no event: the caller discards the journal.
    public func run(into writer: JournalWriter) throws(TraceImportError) -> ImportSummary {
        let journaler = EventJournaler()
        var merger: SourceMerger
        do {
            let ids = try paths.map { path throws(JournalError) -> Int64 in try writer.addImportSource(path: path) }
            merger = SourceMerger(sources)
            let assembler = CallAssembler()
            func journalSettled() throws(JournalError) {
                while let (event, index) = assembler.next() {
                    for (seq, op) in journaler.journal(event, sourceID: ids[index]) { try writer.record(op, sequence: seq) }
                }
            }
            while let (event, index) = merger.next() {
                assembler.feed(event, source: index)
                try journalSettled()
            }
            assembler.finish()
            try journalSettled()
            for (seq, op) in journaler.declarations() { try writer.record(op, sequence: seq) }
            for (index, source) in sources.enumerated() { try writer.completeImportSource(id: ids[index], totals: source.tally.totals) }
        } catch {
            throw .journal(error)
        }
        if let empty = sources.first(where: { $0.tally.events == 0 }) {
            throw .noEvents(path: empty.path, lines: empty.tally.lines, skipped: empty.tally.skipped, firstSkip: empty.tally.skipExamples.first)
        }
        return ImportSummary(
            sources: sources.map { ImportSummary.Source(path: $0.path, totals: $0.tally.totals, eventsByKind: $0.tally.eventsByKind) },
            opCount: journaler.nextSeq, opsByKind: journaler.opCounts, findingCount: journaler.findingCount,
            mergedByTime: merger.mergesByTime)
    }
}
