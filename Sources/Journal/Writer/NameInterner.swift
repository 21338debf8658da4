/// Interns the names ops mention into the `names` table and remembers which device each
/// IOVA state or mapping belongs to. Ids are cached, so the hot path inserts a row only
/// the first time a name appears.
final class NameInterner {
    private let insert: Statement
    // @exclusivity(unchecked) here and on the writer's other per-op state: the dynamic
    // exclusivity checks on them cost ~400 instructions an op (callgrind, issue #8). Only
    // the owning class's own methods touch these, never across a call back into it.
    @exclusivity(unchecked) private var table = NameIDTable()
    @exclusivity(unchecked) private var nextID: Int64 = 1
    /// Indexed by handle id: the device id from the latest alloc or map of the handle, 0
    /// for none. Ids are dense (1, 2, 3, … in order of first use), so an array indexed by
    /// id is smaller and cheaper than a dictionary.
    @exclusivity(unchecked) private var deviceOfHandle: [Int64] = [0]

    init(_ database: Database) throws(JournalError) {
        insert = try database.prepare("INSERT INTO names (id, kind, name) VALUES (?, ?, ?)")
    }

    /// The id of `name`, inserting it on first use.
    func id(of name: NameRef) throws(JournalError) -> Int64 {
        let hash = NameIDTable.hash(of: name)
        if let id = table.id(of: name, hash: hash) { return id }
        let id = nextID
        insert.bind(id, at: 1)
        insert.bind(name.kind.rawValue, at: 2)
        insert.bind(name.name, at: 3)
        try insert.execute()
        nextID += 1
        table.add(name, hash: hash, id: id)
        deviceOfHandle.append(0)
        return id
    }

    func optionalID(of name: NameRef?) throws(JournalError) -> Int64? {
        guard let name else { return nil }
        return try id(of: name)
    }

    func noteOwner(handle: Int64, device: Int64) { deviceOfHandle[Int(handle)] = device }

    func device(ofHandle handle: Int64) -> Int64? {
        let device = deviceOfHandle[Int(handle)]
        return device == 0 ? nil : device
    }
}
