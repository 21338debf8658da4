import DMASim

/// One op an import writes: the op and outcome as a simulation would record them, what
/// the trace line did not say, and where the line was.
public struct ImportedOp: Sendable {
    public var op: Op
    public var outcome: Outcome
    /// Arguments the line did not carry: stored as NULL.
    public var unknown: UnknownFields
    /// The device the line names, for an op whose `Op` names none and whose handle no
    /// earlier map owns (an unmap or sync of a mapping the trace never showed).
    public var device: String?
    /// The DMA address an unmap or sync line named (`ops.address`).
    public var address: UInt64?
    /// The line the op came from; nil for the declarations the importer adds itself.
    public var provenance: ImportProvenance?

    public init(op: Op, outcome: Outcome, unknown: UnknownFields = [], device: String? = nil,
                address: UInt64? = nil, provenance: ImportProvenance?) {
        self.op = op; self.outcome = outcome; self.unknown = unknown
        self.device = device; self.address = address; self.provenance = provenance
    }
}

/// Where an imported op came from: an `imported_ops` row.
public struct ImportProvenance: Sendable, Hashable {
    /// The `import_sources` id of the file.
    public var sourceID: Int64
    /// First line of the record in the file, from 1, and how many lines it spans.
    public var line: Int
    public var lineCount: Int
    /// ftrace, dmesg, syslog or qemu.
    public var sourceFormat: String
    /// The event or message as the kernel names it: dma_map_page, iommu_map_old, ...
    public var kernelNaming: String
    /// Time since boot (ftrace's clock, dmesg's `[seconds]`).
    public var timestampNanoseconds: UInt64?
    /// A calendar time as the line gave it (dmesg -T, syslog, QEMU's epoch seconds).
    public var wallClock: String?
    public var cpu: Int?
    public var task: String?
    public var pid: Int?
    /// What the importer decided that the line did not say.
    public var note: String?
    /// The record as read: quote prefixes removed, wrapped lines joined.
    public var raw: String

    public init(sourceID: Int64, line: Int, lineCount: Int, sourceFormat: String, kernelNaming: String,
                timestampNanoseconds: UInt64? = nil, wallClock: String? = nil, cpu: Int? = nil, task: String? = nil,
                pid: Int? = nil, note: String? = nil, raw: String) {
        self.sourceID = sourceID; self.line = line; self.lineCount = lineCount
        self.sourceFormat = sourceFormat; self.kernelNaming = kernelNaming
        self.timestampNanoseconds = timestampNanoseconds; self.wallClock = wallClock
        self.cpu = cpu; self.task = task; self.pid = pid; self.note = note; self.raw = raw
    }
}

/// What one imported file held, for its `import_sources` row and the rows beside it.
public struct ImportSourceTotals: Sendable, Hashable {
    public var formats: [String]
    public var lines: Int
    public var events: Int
    public var skipped: Int
    public var joinedLines: Int
    public var quotedLines: Int
    /// Events per kernel naming.
    public var eventCounts: [String: Int]
    /// Skipped lines per reason.
    public var skipCounts: [String: Int]
    /// The first few skipped lines of each reason.
    public var skipExamples: [ImportSkipExample]

    public init(formats: [String], lines: Int, events: Int, skipped: Int, joinedLines: Int, quotedLines: Int,
                eventCounts: [String: Int], skipCounts: [String: Int], skipExamples: [ImportSkipExample]) {
        self.formats = formats; self.lines = lines; self.events = events; self.skipped = skipped
        self.joinedLines = joinedLines; self.quotedLines = quotedLines
        self.eventCounts = eventCounts; self.skipCounts = skipCounts; self.skipExamples = skipExamples
    }
}

/// A line that was not imported, kept as an example of its reason.
public struct ImportSkipExample: Sendable, Hashable {
    public var line: Int
    public var reason: String
    public var text: String
    public init(line: Int, reason: String, text: String) { self.line = line; self.reason = reason; self.text = text }
}
