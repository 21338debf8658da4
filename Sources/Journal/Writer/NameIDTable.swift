/// Interned names and their ids: an open-addressing hash table with linear probing, keyed
/// by FNV-1a of the name's UTF-8 bytes.
///
/// Why not `[NameRef: Int64]`: a Dictionary hashes a String with SipHash-1-3 through
/// `Hasher`, which callgrind put at ~950 instructions per lookup of a short name, two
/// lookups per op: an eighth of the writer's instructions per op (docs/performance.md,
/// issue #8). FNV-1a over a name of a dozen bytes is a few dozen instructions. SipHash
/// defends a table against keys an attacker picks to collide; this table lives for one
/// recording and its keys are the recording's own names, so a cheap hash is enough (and a
/// bad collision would cost time, never a wrong id).
struct NameIDTable {
    private struct Slot {
        /// 0: the slot is empty (ids start at 1).
        var id: Int64 = 0
        var hash: UInt64 = 0
        var name = NameRef(.device, "")
    }

    /// A power of two, kept at most three quarters full so probes stay short.
    private var slots = [Slot](repeating: Slot(), count: 1024)
    private(set) var count = 0

    /// The id of `name`, or nil if it was never added. `hash` is `Self.hash(of: name)`.
    func id(of name: NameRef, hash: UInt64) -> Int64? {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index].id != 0 {
            if slots[index].hash == hash && slots[index].name == name { return slots[index].id }
            index = (index + 1) & mask
        }
        return nil
    }

    /// Adds `name`, which must not be in the table yet.
    mutating func add(_ name: NameRef, hash: UInt64, id: Int64) {
        precondition(id != 0, "name ids start at 1")
        if (count + 1) * 4 > slots.count * 3 { grow() }
        place(Slot(id: id, hash: hash, name: name))
        count += 1
    }

    /// FNV-1a (64-bit) of the name's UTF-8 bytes. The kind is left out: an IOVA state and a
    /// mapping of the same name land in one probe run and are told apart by `==`.
    static func hash(of name: NameRef) -> UInt64 {
        // Over a contiguous buffer: iterating `String.utf8` cost ~20 instructions a byte.
        var text = name.name
        return text.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            return hash
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        for slot in old where slot.id != 0 { place(slot) }
    }

    private mutating func place(_ slot: Slot) {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: slot.hash) & mask
        while slots[index].id != 0 { index = (index + 1) & mask }
        slots[index] = slot
    }
}
