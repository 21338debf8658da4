/// What a journal says about its recording: the `run` row.
public struct RunInfo: Sendable, Hashable {
    /// The dmajournal version that wrote the journal.
    public var toolVersion: String
    /// The workload's seed; nil for a script.
    public var seed: UInt64?
    /// The script's path or the workload's name.
    public var source: String
    /// When the recording started, ISO 8601. The caller supplies it: the engine has no
    /// clock, and a fixed value keeps test journals byte-for-byte reproducible.
    public var createdAt: String
    /// The journal's own id (schema 16), a random UUID the writer draws when it creates
    /// the file unless the caller gives one; nil in a journal from before schema 16. A
    /// fleet store keys every row by it (docs/fleet.md).
    public var journalID: String?
    /// The machine that recorded the journal (schema 16); nil when unknown.
    public var host: String?
    /// The command that made the journal, shell-quoted (`dmajournal record --workload nvme
    /// …`), so it can be made again; nil when a library caller gives none.
    public var commandLine: String?

    /// The run information of a new recording; fields left out are unknown.
    public init(toolVersion: String, seed: UInt64? = nil, source: String, createdAt: String,
                journalID: String? = nil, host: String? = nil, commandLine: String? = nil) {
        self.toolVersion = toolVersion
        self.seed = seed
        self.source = source
        self.createdAt = createdAt
        self.journalID = journalID
        self.host = host
        self.commandLine = commandLine
    }
}
