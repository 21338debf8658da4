/// Interns the names ops mention into the `names` table and remembers which device each
/// IOVA state or mapping belongs to. Ids are cached, so the hot path inserts a row only
/// the first time a name appears.
///
/// Resident memory stays flat in the run's length. Devices, IOMMUs, regions and
/// checkpoints are few and stay cached for the whole run. Handles are not: producers never
/// reuse one (`m1`, `m2`, … for ever: 3.5 M of them in a 10 M-line trace import, which cost
/// 320 MB of cache slots), and an op names a handle within a short while of its map or
/// alloc. So handles are cached in two generations of `handleGeneration` names: when the
/// young one is full, the old one is dropped, and a handle found only in the old one moves
/// to the young. A handle in neither is new unless `HandleNumbers` (one bit per numbered
/// handle ever interned, `m42`) says it was interned before, or it is not spelled that
/// way: then the `names` table's UNIQUE (kind, name) index is asked.
final class NameInterner {
    /// Handles per cache generation: a recording's live handles and those named again soon
    /// after they end fit many times over.
    static let handleGeneration = 1 << 16

    private let insert: Statement
    private let select: Statement
    // @exclusivity(unchecked) here and on the writer's other per-op state: the dynamic
    // exclusivity checks on them cost ~400 instructions an op (callgrind, issue #8). Only
    // the owning class's own methods touch these, never across a call back into it.
    @exclusivity(unchecked) private var others = NameIDTable()
    @exclusivity(unchecked) private var youngHandles = NameIDTable()
    @exclusivity(unchecked) private var oldHandles = NameIDTable()
    @exclusivity(unchecked) private var internedHandles = HandleNumbers()
    @exclusivity(unchecked) private var nextID: Int64 = 1
    /// Indexed by name id: the index in `owners` + 1 of the device from the latest alloc
    /// or map of the handle, 0 for none. Ids are dense (1, 2, 3, … in order of first use), so
    /// an array is smaller than a dictionary; 4 bytes a name, the one part that still grows.
    @exclusivity(unchecked) private var ownerOfName: [UInt32] = [0]
    /// The owner devices' ids, in first-use order, and each one's place in it.
    @exclusivity(unchecked) private var owners: [Int64] = []
    @exclusivity(unchecked) private var ownerIndex: [Int64: UInt32] = [:]

    init(_ database: Database) throws(JournalError) {
        insert = try database.prepare("INSERT INTO names (id, kind, name) VALUES (?, ?, ?)")
        select = try database.prepare("SELECT id FROM names WHERE kind = ? AND name = ?")
    }

    /// The id of `name`, inserting it on first use.
    func id(of name: NameRef) throws(JournalError) -> Int64 {
        let hash = NameIDTable.hash(of: name)
        guard name.kind.isHandle else {
            if let id = others.id(of: name, hash: hash) { return id }
            let id = try add(name)
            others.add(name, hash: hash, id: id)
            return id
        }
        if let id = youngHandles.id(of: name, hash: hash) { return id }
        let id: Int64
        if let old = oldHandles.id(of: name, hash: hash) {
            id = old
        } else if internedHandles.mayContain(name), let stored = try stored(name) {
            id = stored
        } else {
            id = try add(name)
            internedHandles.insert(name)
        }
        if youngHandles.count >= Self.handleGeneration {
            oldHandles = youngHandles
            youngHandles = NameIDTable()
        }
        youngHandles.add(name, hash: hash, id: id)
        return id
    }

    func optionalID(of name: NameRef?) throws(JournalError) -> Int64? {
        guard let name else { return nil }
        return try id(of: name)
    }

    func noteOwner(handle: Int64, device: Int64) {
        let index: UInt32
        if let known = ownerIndex[device] {
            index = known
        } else {
            owners.append(device)
            index = UInt32(owners.count)
            ownerIndex[device] = index
        }
        ownerOfName[Int(handle)] = index
    }

    func device(ofHandle handle: Int64) -> Int64? {
        let index = ownerOfName[Int(handle)]
        return index == 0 ? nil : owners[Int(index) - 1]
    }

    /// Inserts a new name; returns its id.
    private func add(_ name: NameRef) throws(JournalError) -> Int64 {
        let id = nextID
        insert.bind(id, at: 1)
        insert.bind(name.kind.rawValue, at: 2)
        insert.bind(name.name, at: 3)
        try insert.execute()
        nextID += 1
        ownerOfName.append(0)
        return id
    }

    /// The id the `names` table has for `name`, if any.
    private func stored(_ name: NameRef) throws(JournalError) -> Int64? {
        select.bind(name.kind.rawValue, at: 1)
        select.bind(name.name, at: 2)
        defer { select.reset() }
        return try select.step() ? select.int64(at: 0) : nil
    }
}

extension NameKind {
    /// IOVA states and streaming mappings: what ops name by handle.
    var isHandle: Bool { self == .state || self == .mapping }
}
