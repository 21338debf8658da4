import DMASim
import Journal

/// What an import read and wrote: per file, and in total.
public struct ImportSummary: Sendable {
    /// One file.
    public struct Source: Sendable {
        public var path: String
        package var totals: ImportSourceTotals
        /// Events per kind (map, unmap, sync, fault, access, dma-debug, attach/detach).
        public var eventsByKind: [String: Int]
        /// Lines that reported an event or completed one.
        public var eventLines: Int
        /// Skipped lines that looked like DMA or IOMMU reports but were not read (a known
        /// report missing a field, an unknown dma/iommu event, a fault-like message no
        /// parser knows), and the first of them, in line order.
        public var notUnderstoodLines: Int
        package var notUnderstood: [ImportSkipExample]
        /// What ended the file's lines before its end (`TraceImportError.damaged` says it); nil when all were read.
        public var readFailure: String? = nil
    }

    public var sources: [Source]
    public var opCount: Int
    public var opsByKind: [OpKind: Int]
    public var findingCount: Int
    /// Whether the files' events were interleaved by their time since boot.
    public var mergedByTime: Bool
    /// Imported ops where the model did other than the kernel: a claim of the trace failed.
    public var disagreements: Int = 0
    /// The first of them: seq, line, the kernel's claim and the model's outcome.
    public var firstDisagreement: String?
    /// What the simulation filled in that the trace did not say.
    public var assumptions: [String] = []

    public var eventCount: Int { sources.reduce(0) { $0 + $1.totals.events } }
    public var lineCount: Int { sources.reduce(0) { $0 + $1.totals.lines } }
    public var skippedCount: Int { sources.reduce(0) { $0 + $1.totals.skipped } }
    public var notUnderstoodCount: Int { sources.reduce(0) { $0 + $1.notUnderstoodLines } }

    /// The first file whose lines ended early, as the error that says so: the journal
    /// holds the lines read before it.
    public var firstReadFailure: TraceImportError? {
        sources.first { $0.readFailure != nil }.map { .damaged(path: $0.path, afterLine: $0.totals.lines, reason: $0.readFailure ?? "") }
    }

    /// Whether a skip reason (as `import_skip_reasons` stores it) is one of a line that
    /// looked like a DMA or IOMMU report but was not read.
    public static func isNotUnderstood(reason: String) -> Bool {
        SkipReason(text: reason).isNotUnderstood
    }

    /// Events per kind over all files, most frequent first: `12 map, 10 unmap, 3 fault`.
    public var eventsByKindText: String {
        var totals: [String: Int] = [:]
        for source in sources { totals.merge(source.eventsByKind, uniquingKeysWith: +) }
        return totals.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }
}
