import CSQLite
import DMASim
import Testing
@testable import Journal

@Suite struct NameInternerTests {
    private func interner(_ directory: TemporaryDirectory) throws -> (NameInterner, Database) {
        let database = try Database(path: directory.file("names.db"), flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        try database.execute("CREATE TABLE names (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, UNIQUE (kind, name))")
        // One open transaction, as the journal writer's batches are: 400 K autocommitted
        // inserts (an fsync each) made this suite the slowest of all, 7-10 minutes.
        try database.execute("BEGIN")
        return (try NameInterner(database), database)
    }

    /// Handles named again long after they left the cache's two generations keep their id
    /// and their owner device, numbered (found through `HandleNumbers` and the table) or not;
    /// every name is one row.
    @Test func keepsIdsAndOwnersOfHandlesThatLeftTheCache() throws {
        let directory = TemporaryDirectory()
        let (names, database) = try interner(directory)
        let device = try names.id(of: NameRef(.device, "nvme0"))
        let count = 3 * NameInterner.handleGeneration
        var ids: [Int64] = []
        for number in 0..<count {
            let id = try names.id(of: NameRef(.mapping, "m\(number)"))
            names.noteOwner(handle: id, device: device)
            ids.append(id)
        }
        let unnumbered = try names.id(of: NameRef(.state, "req-a"))
        for number in 0..<count { _ = try names.id(of: NameRef(.state, "s\(number)")) }
        #expect(try names.id(of: NameRef(.mapping, "m0")) == ids[0])
        #expect(try names.id(of: NameRef(.mapping, "m7")) == ids[7])
        #expect(names.device(ofHandle: ids[7]) == device)
        #expect(try names.id(of: NameRef(.state, "req-a")) == unnumbered)
        // A state and a mapping of one name are two names.
        let state = try names.id(of: NameRef(.state, "m0"))
        #expect(state != ids[0])
        #expect(try database.integer("SELECT count(*) FROM names") == Int64(2 * count + 3))
        #expect(try database.integer("SELECT count(*) FROM (SELECT kind, name FROM names GROUP BY 1, 2)") == Int64(2 * count + 3))
    }

    /// One bit per numbered handle: exact for `m42`, and "maybe" for other spellings.
    @Test func handleNumbersAreExactForNumberedHandles() {
        var numbers = HandleNumbers()
        numbers.insert(NameRef(.mapping, "m42"))
        numbers.insert(NameRef(.mapping, "m100000"))
        #expect(numbers.mayContain(NameRef(.mapping, "m42")))
        #expect(numbers.mayContain(NameRef(.mapping, "m100000")))
        #expect(!numbers.mayContain(NameRef(.mapping, "m43")))
        #expect(!numbers.mayContain(NameRef(.state, "m42")))
        #expect(!numbers.mayContain(NameRef(.mapping, "u42")))
        #expect(numbers.mayContain(NameRef(.mapping, "m042")))
        #expect(numbers.mayContain(NameRef(.mapping, "42")))
        #expect(numbers.mayContain(NameRef(.mapping, "req-a")))
        #expect(NumberedHandle("s0")?.number == 0)
        #expect(NumberedHandle("dev-3a") == nil)
        #expect(NumberedHandle("a1b2") == NumberedHandle("a1b2"))
        #expect(NumberedHandle("a1b2")?.prefix == "a1b")
    }
}
