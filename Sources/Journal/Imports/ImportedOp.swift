import DMASim

/// One op an import writes: the op and outcome as a simulation would record them, what
/// the trace line did not say, and where the line was.
package struct ImportedOp: Sendable {
    package var op: Op
    package var outcome: Outcome
    /// Arguments the line did not carry: stored as NULL.
    package var unknown: UnknownFields
    /// The device the line names, for an op whose `Op` names none and whose handle no
    /// earlier map owns (an unmap or sync of a mapping the trace never showed).
    package var device: String?
    /// The DMA address an unmap or sync line named (`ops.address`).
    package var address: UInt64?
    /// The line the op came from; nil for the declarations the importer adds itself.
    package var provenance: ImportProvenance?

    package init(op: Op, outcome: Outcome, unknown: UnknownFields = [], device: String? = nil,
                address: UInt64? = nil, provenance: ImportProvenance?) {
        self.op = op; self.outcome = outcome; self.unknown = unknown
        self.device = device; self.address = address; self.provenance = provenance
    }
}

/// Where an imported op came from: an `imported_ops` row.
package struct ImportProvenance: Sendable, Hashable {
    /// The `import_sources` id of the file.
    package var sourceID: Int64
    /// First line of the record in the file, from 1, and how many lines it spans.
    package var line: Int
    package var lineCount: Int
    /// ftrace, dmesg, syslog or qemu.
    package var sourceFormat: String
    /// The event or message as the kernel names it: dma_map_page, iommu_map_old, ...
    package var kernelNaming: String
    /// Time since boot (ftrace's clock, dmesg's `[seconds]`).
    package var timestampNanoseconds: UInt64?
    /// A calendar time as the line gave it (dmesg -T, syslog, QEMU's epoch seconds).
    package var wallClock: String?
    package var cpu: Int?
    package var task: String?
    package var pid: Int?
    /// What the importer decided that the line did not say.
    package var note: String?
    /// The record as read: quote prefixes removed, wrapped lines joined.
    package var raw: String

    package init(sourceID: Int64, line: Int, lineCount: Int, sourceFormat: String, kernelNaming: String,
                timestampNanoseconds: UInt64? = nil, wallClock: String? = nil, cpu: Int? = nil, task: String? = nil,
                pid: Int? = nil, note: String? = nil, raw: String) {
        self.sourceID = sourceID; self.line = line; self.lineCount = lineCount
        self.sourceFormat = sourceFormat; self.kernelNaming = kernelNaming
        self.timestampNanoseconds = timestampNanoseconds; self.wallClock = wallClock
        self.cpu = cpu; self.task = task; self.pid = pid; self.note = note; self.raw = raw
    }
}

/// What one imported file held, for its `import_sources` row and the rows beside it.
package struct ImportSourceTotals: Sendable, Hashable {
    package var formats: [String]
    package var lines: Int
    package var events: Int
    package var skipped: Int
    package var joinedLines: Int
    package var quotedLines: Int
    /// Events per kernel naming.
    package var eventCounts: [String: Int]
    /// Skipped lines per reason.
    package var skipCounts: [String: Int]
    /// The first few skipped lines of each reason.
    package var skipExamples: [ImportSkipExample]

    package init(formats: [String], lines: Int, events: Int, skipped: Int, joinedLines: Int, quotedLines: Int,
                eventCounts: [String: Int], skipCounts: [String: Int], skipExamples: [ImportSkipExample]) {
        self.formats = formats; self.lines = lines; self.events = events; self.skipped = skipped
        self.joinedLines = joinedLines; self.quotedLines = quotedLines
        self.eventCounts = eventCounts; self.skipCounts = skipCounts; self.skipExamples = skipExamples
    }
}

/// A line that was not imported, kept as an example of its reason.
public struct ImportSkipExample: Sendable, Hashable {
    /// The line's number in its file, from 1.
    public var line: Int
    /// Why it was not imported.
    public var reason: String
    /// The line as the file has it.
    public var text: String
    /// An example of a skipped line.
    public init(line: Int, reason: String, text: String) { self.line = line; self.reason = reason; self.text = text }
}
