/// Interns the names ops mention into the `names` table and remembers which device each
/// IOVA state or mapping belongs to. Ids are cached, so the hot path inserts a row only
/// the first time a name appears.
final class NameInterner {
    private let insert: Statement
    private var idOfName: [NameRef: Int64] = [:]
    private var nextID: Int64 = 1
    /// handle id → device id, from the latest alloc or map of the handle.
    private var deviceOfHandle: [Int64: Int64] = [:]

    init(_ database: Database) throws(JournalError) {
        insert = try database.prepare("INSERT INTO names (id, kind, name) VALUES (?, ?, ?)")
    }

    /// The id of `name`, inserting it on first use.
    func id(of name: NameRef) throws(JournalError) -> Int64 {
        if let id = idOfName[name] { return id }
        let id = nextID
        insert.bind(id, at: 1)
        insert.bind(name.kind.rawValue, at: 2)
        insert.bind(name.name, at: 3)
        try insert.execute()
        nextID += 1
        idOfName[name] = id
        return id
    }

    func optionalID(of name: NameRef?) throws(JournalError) -> Int64? {
        guard let name else { return nil }
        return try id(of: name)
    }

    func noteOwner(handle: Int64, device: Int64) { deviceOfHandle[handle] = device }

    func device(ofHandle handle: Int64) -> Int64? { deviceOfHandle[handle] }
}
