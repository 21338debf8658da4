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
/// `EventJournaler` turns each event into ops and checks them; the journal writer stores
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
    /// `stopRequested` is polled between events (Ctrl-C): when it says so, the import ends
    /// there, with the machine declared and the sources' totals so far, a valid journal
    /// of the events read.
    public func run(into writer: JournalWriter, stopRequested: () -> Bool = { false }) throws(TraceImportError) -> ImportSummary {
        let journaler = EventJournaler()
        var merger: SourceMerger
        do {
            let ids = try paths.map { path throws(JournalError) -> Int64 in try writer.addImportSource(path: path) }
            merger = SourceMerger(sources)
            while !stopRequested(), let (event, index) = merger.next() {
                for (seq, op) in journaler.journal(event, sourceID: ids[index]) { try writer.record(op, sequence: seq) }
            }
            for (seq, op) in journaler.declarations() { try writer.record(op, sequence: seq) }
            for (index, source) in sources.enumerated() { try writer.completeImportSource(id: ids[index], totals: source.tally.totals) }
        } catch {
            throw .journal(error)
        }
        if let empty = sources.first(where: { $0.tally.events == 0 }) {
            let tally = empty.tally
            if tally.notUnderstoodLines > 0, let first = tally.notUnderstood.first {
                throw .noneUnderstood(path: empty.path, lines: tally.notUnderstoodLines, first: first)
            }
            throw .noEvents(path: empty.path, lines: tally.lines, skipped: tally.skipped, firstSkip: tally.skipExamples.first)
        }
        return ImportSummary(
            sources: sources.map {
                ImportSummary.Source(path: $0.path, totals: $0.tally.totals, eventsByKind: $0.tally.eventsByKind, eventLines: $0.tally.eventLines,
                                     notUnderstoodLines: $0.tally.notUnderstoodLines, notUnderstood: $0.tally.notUnderstood)
            },
            opCount: journaler.nextSeq, opsByKind: journaler.opCounts, findingCount: journaler.findingCount,
            mergedByTime: merger.mergesByTime)
    }
}
