/// Checkpoints: the engine's whole state except page contents, as versioned bytes, so a
/// replay can start at a checkpoint instead of op 0 and reach the same outcomes bit for bit.
///
///     engine ──encodeState()──▶ bytes ──decodingState()──▶ engine′ (regions, no pages)
///        └──── touchedPages / copyPage ──▶ snapshot ──restorePage──┘
///
/// The format is hand-written (`StateWriter`, `StateReader`, one `Type+State.swift` per
/// component) rather than `Codable`: it must be compact (varints and deltas, a fresh
/// swiotlb segment in a byte), deterministic (hashed collections written sorted by key,
/// whatever the process's hash seed), re-link shared objects by index instead of copying
/// them, and refuse anything it did not write with an error that names the byte.
/// docs/checkpoints.md lists what the state holds and in which order.
extension Engine {
    /// Versioned, compact binary encoding of everything except page contents.
    /// The same state gives the same bytes, in any process.
    public func encodeState() -> [UInt8] {
        var writer = StateWriter()
        writer.varint(appliedCount)
        writer.varint(states.slotCount)
        writer.varint(mappings.slotCount)
        memory.encode(to: &writer)
        let links = encodeTopology(to: &writer)
        ownership.encode(to: &writer)
        activeCachelines.encode(to: &writer)
        encodeRecords(to: &writer, links: links)
        writer.array(checkpointNames.sorted()) { $0.string($1) }
        writer.optional(memory.lastWriters) { $1.encode(to: &$0) }
        tally.encode(to: &writer)
        encodeTime(to: &writer)
        writer.bool(booted)
        writer.array(warnedOnce.sorted()) { $0.string($1) }
        return EngineStateFormat.seal(writer.bytes)
    }

    /// An engine in the encoded state with empty memory (regions declared, no pages);
    /// the caller restores pages from a snapshot with `restorePage(_:from:)`. Throws for
    /// bytes this build did not write: another format version, a truncated or damaged
    /// copy, or values the engine could not hold.
    public static func decodingState(_ bytes: [UInt8]) throws(EngineStateError) -> Engine {
        var (reader, version) = try EngineStateFormat.openPayload(bytes)
        let engine = Engine()
        engine.appliedCount = try reader.int("applied count", in: 0...Int.max)
        var links = DecodingLinks()
        links.version = version
        links.stateCount = try reader.count("state records")
        links.mappingCount = try reader.count("mapping records")
        try engine.memory.restore(from: &reader)
        try engine.decodeTopology(from: &reader, links: &links)
        engine.ownership = try OwnershipMap(from: &reader, links: links)
        links.liveOwnershipIDs = Set(engine.ownership.entries.indices.filter { engine.ownership.entries[$0] != nil })
        engine.activeCachelines = try ActiveCachelines(from: &reader, version: version)
        try engine.decodeRecords(from: &reader, links: links)
        engine.checkpointNames = Set(try reader.array("checkpoint names") { reader throws(EngineStateError) in
            try reader.string("checkpoint name")
        })
        engine.memory.lastWriters = try reader.optional("last writers") { reader throws(EngineStateError) in
            try LastWriterMap(from: &reader)
        }
        engine.tally = try OutcomeTally(from: &reader)
        // Before version 5 there was no clock (time 0, no timers) and one kernel, whose
        // dma_iova_destroy was 6.16's.
        if version >= 5 { try engine.decodeTime(from: &reader, version: version) } else { engine.machine = MachineSpec(kernel: .v6_16) }
        // Older engines made no pool at boot: a state of theirs counts as booted.
        engine.booted = true
        if version >= EngineStateFormat.kernel73Version {
            engine.booted = try reader.bool("booted")
            engine.warnedOnce = Set(try reader.array("warned once") { reader throws(EngineStateError) in
                try reader.string("warn-once site")
            })
        }
        try reader.expectEnd()
        // A version-3 state holds every record ever made: retire what this build would have.
        if version == 3 { engine.retireEveryUnreachableRecord() }
        return engine
    }

    /// The machine, the clock, the current CPU and the armed timers (version 5).
    private func encodeTime(to writer: inout StateWriter) {
        machine.encode(to: &writer)
        writer.bool(machineDeclared)
        writer.varint(clock)
        writer.varint(currentCPU)
        timers.encode(to: &writer)
    }

    private func decodeTime(from reader: inout StateReader, version: UInt32) throws(EngineStateError) {
        machine = try MachineSpec(from: &reader, version: version)
        machineDeclared = try reader.bool("machine declared")
        clock = try reader.varint("clock")
        currentCPU = try reader.int("current cpu", in: 0...machine.cpuCount - 1)
        let start = reader.offset
        timers = try TimerQueue(from: &reader)
        for entry in timers.pending where domain(entry.timer.domain) == nil {
            throw reader.invalid("timers", "a timer names a domain the state does not have", at: start)
        }
        // Before the explicit fq_timer left the clock, a state could hold one armed as a
        // backstop: only flush ops run it now (Engine.armRequestedTimers).
        for entry in timers.pending where domain(entry.timer.domain)?.iommu.explicitFlushTimer == true {
            if case .flushQueue = entry.timer { cancelTimer(entry.timer) }
        }
    }
}
