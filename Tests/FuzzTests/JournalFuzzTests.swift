import Checkpoint
import DMASim
import Export
import Foundation
import Journal
import Replay
import Snapshot
import Testing

/// A fuzz target of the journal reader on damaged files (issue 21): journals of the fixture
/// scripts (`JournalCorpus`), damaged (`JournalMutator`), then read every way the tool reads
/// them — open, cursor, topology, replay from op 0 and from each checkpoint, verify and diff,
/// bisect, the named queries, script and Perfetto export, the HTML report. Each must end with
/// a result or a one-line error; none may trap (a trap ends the test process, which is
/// the failure this test shows) or hang.
///
/// CI runs 64 damaged journals from seed 2112 (about 3 s in a debug build on an idle machine); `FuzzSettings` describes
/// longer campaigns. Replays of journals whose damaged ops hold values the engine does not
/// bound yet (`KnownBounds`) are held back unless `DMAJOURNAL_FUZZ_EXTREMES=1`.
@Suite struct JournalFuzzTests {
    @Test func damagedJournalsAreReadWithoutTrapping() throws {
        let settings = FuzzSettings.current(defaultInputs: 64, defaultSeed: 2112)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let corpus = try JournalCorpus.record(into: directory)
        var mutator = JournalMutator(seed: settings.seed)
        var tally = JournalFuzzTally()
        let clock = ContinuousClock(), start = clock.now
        for index in 0..<settings.inputs {
            let path = directory.appendingPathComponent("input-\(index % 4).db").path
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try FileManager.default.copyItem(atPath: corpus[index % corpus.count], toPath: path)
            try mutator.damage(path)
            let exercise = JournalExercise(path: path, extremes: settings.extremes, context: "input \(index): \(mutator.log)")
            exercise.run()
            tally.add(exercise)
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("JournalFuzzTests: \(settings.inputs) damaged journals from seed \(settings.seed) in \(String(format: "%.1f", seconds)) s: \(tally)")
        #expect(tally.opened > 0 && tally.refused > 0, "the damage should leave some journals readable and make others refused")
    }
}

/// Counts of what the damaged journals did.
struct JournalFuzzTally: CustomStringConvertible {
    var opened = 0, refused = 0, replayed = 0, heldBack = 0, errors = 0

    mutating func add(_ exercise: JournalExercise) {
        if exercise.opened { opened += 1 } else { refused += 1 }
        if exercise.replayed { replayed += 1 }
        if exercise.heldBack { heldBack += 1 }
        errors += exercise.errors
    }

    var description: String {
        "\(opened) opened (\(replayed) replayed, \(heldBack) held back by KnownBounds), \(refused) refused on open, \(errors) one-line errors on the way"
    }
}

/// Reads one damaged journal every way the tool does.
final class JournalExercise {
    let path: String
    let extremes: Bool
    let context: String
    private(set) var opened = false, replayed = false, heldBack = false, errors = 0

    init(path: String, extremes: Bool, context: String) {
        self.path = path; self.extremes = extremes; self.context = context
    }

    func run() {
        attempt { try exportAndReport() }
        attempt { _ = try QueryRunner(path: path).named("leaks") }
        guard let reader = attempt({ try JournalReader(path: path) }) else { return }
        opened = true
        guard let ops = attempt({ try reader.makeCursor().all() }) else { return }
        attempt { _ = try reader.topology() }
        guard extremes || ops.allSatisfy({ KnownBounds.allows($0.op) }) else {
            heldBack = true
            return
        }
        replayed = true
        attempt { _ = try Replayer(reader: reader).replay() }
        attempt { try replayFromEachCheckpoint(reader) }
        attempt { _ = try Bisector(reader: reader).bisect(.finding(nil)) }
    }

    private func replayFromEachCheckpoint(_ reader: JournalReader) throws {
        let loader = try CheckpointLoader(reader: reader)
        let names = try loader.snapshotNames()
        for name in names.prefix(3) {
            _ = try? Replayer(reader: reader).replay(from: try loader.position(atCheckpoint: name))
            _ = try? MemoryAudit(reader: reader).verify(against: name)
        }
        if let first = names.first, let last = names.last { _ = try MemoryAudit(reader: reader).diff(first, last) }
    }

    private func exportAndReport() throws {
        let output = path + ".out"
        defer { try? FileManager.default.removeItem(atPath: output) }
        _ = try? ScriptExporter(journalPath: path).export(to: try TextOutput(path: output))
        _ = try? PerfettoExporter(journalPath: path, window: 3...Int64.max).export(to: try TextOutput(path: output))
        _ = try ReportBuilder(journalPath: path).write(to: try TextOutput(path: output))
    }

    /// Runs `body`; an error must be one line (a trap would end the process before here).
    @discardableResult
    private func attempt<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch {
            errors += 1
            let text = "\(error)"
            #expect(!text.isEmpty && !text.contains("\n"), "\(context): \(text)")
            return nil
        }
    }
}
