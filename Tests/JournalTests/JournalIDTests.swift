import Journal
import Testing

/// Schema 16: every journal carries an id of its own, which a fleet store keys rows by
/// (docs/fleet.md), so it must differ between journals and survive as written.
@Suite struct JournalIDTests {
    @Test func eachNewJournalDrawsADifferentWellFormedID() throws {
        let directory = TemporaryDirectory()
        let ids = try (0..<3).map { index -> String? in
            let path = directory.file("j\(index).db")
            try Recording.record(Array(Scenarios.everyKind.prefix(3)), to: path)
            return try JournalReader(path: path).run.journalID
        }
        #expect(ids.allSatisfy { JournalID.isWellFormed($0 ?? "") })
        #expect(Set(ids).count == 3)
    }

    @Test func anIDTheCallerGivesIsKeptWithTheHost() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("given.db")
        var run = Recording.run
        run.journalID = "3f2a9c4e-7b1d-4e8a-9c0f-5d6e7f8a9b0c"
        run.host = "ci-runner-7"
        let writer = try JournalWriter(path: path, run: run)
        try writer.finish()
        let read = try JournalReader(path: path).run
        #expect(read.journalID == run.journalID && read.host == "ci-runner-7")
    }

    @Test func theShapeIsChecked() {
        #expect(JournalID.isWellFormed(JournalID.random()))
        #expect(!JournalID.isWellFormed("3F2A9C4E-7B1D-4E8A-9C0F-5D6E7F8A9B0C"))
        #expect(!JournalID.isWellFormed("3f2a9c4e-7b1d-4e8a-9c0f"))
        #expect(!JournalID.isWellFormed("not-an-id"))
    }
}
