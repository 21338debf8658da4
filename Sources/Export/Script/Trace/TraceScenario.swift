import DMASim
import Journal
import OpScript

/// An imported kernel trace as a script the simulator can run, each line claiming what
/// the kernel did: `=> fault not-present` where it reported a fault, `=> completed` where
/// a call or access went through, `=> violation CLASS` where its dma-debug reported misuse,
/// `=> error` where a map failed. Running it (`dmajournal replay` of the imported journal,
/// or `dmajournal run` of the exported script) asks whether the model agrees with the
/// kernel, op by op, on a machine that `--with` can change.
///
/// What the trace does not say is filled in, and the header says how:
/// - one RAM region from address 0 holds every physical address the trace names; a map
///   whose physical address the trace lacks (`dma_alloc`) gets a fresh one above them;
/// - each device keeps its IOVA space (devices the importer put in one space share an
///   IOMMU group); DMA mask, coherence and bus take their defaults;
/// - the IOMMU mode is the kernel's default for the architecture the reports come from:
///   lazy on x86 (drivers/iommu/Kconfig: `IOMMU_DEFAULT_DMA_LAZY if X86 || S390`),
///   strict where arm-smmu reports appear;
/// - a device access names the mapping that covered its address in the kernel's IOVA
///   space (the latest one, even if unmapped since: that is the stale access), as
///   `m2+0x10`, because the model hands out its own IOVAs; an address no mapping ever
///   covered stays absolute. An access of unknown length is 4 bytes;
/// - an unmap or sync of a mapping the trace never showed mapped is preceded by a map of
///   it (made before the trace began), which claims nothing.
public struct TraceScenario {
    public struct Line: Sendable {
        public var line: ScriptLine
        /// `file:line event` of the trace record; nil for lines the scenario adds.
        public var origin: String?
        /// The journal seq of the imported op; nil for lines the scenario adds.
        public var sequence: Int?
        /// The imported op this line is, or serves when the scenario adds it (a stand-in
        /// map, a `mapping-error` check); nil for the topology, which serves them all.
        public var partOf: Int?
    }

    public private(set) var lines: [Line] = []
    /// Comment lines (without `#`) stating what the trace did not say and how it was filled.
    public private(set) var assumptions: [String] = []
    public var script: Script { Script(lines: lines.map(\.line)) }

    public init(journalPath: String) throws(ExportError) {
        let trace = try Self.read(journalPath)
        var builder = TraceScenarioBuilder(trace: trace)
        let body = builder.ops()
        lines = builder.topology() + body
        for index in lines.indices { lines[index].line.lineNumber = index + 1 }
        assumptions = builder.assumptions
    }

    /// True when the journal holds a kernel trace (`dmajournal import`) rather than a recording.
    public static func isImported(journalPath: String) throws(ExportError) -> Bool {
        try reading { () throws(JournalError) in !(try JournalReader(path: journalPath).importedSources().isEmpty) }
    }

    private static func read(_ path: String) throws(ExportError) -> ImportedTrace {
        let runner = try QueryRunner.opening(path)
        return try reading { () throws(JournalError) in try ImportedTrace(runner: runner) }
    }
}
