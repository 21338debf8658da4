/// Appends the fields of an engine state as bytes. Integers are LEB128 varints (7 bits a
/// byte, low first), so the counts, tags and deltas that make up most of a state take one
/// byte each; signed values are zigzag-mapped first; strings are a byte count and UTF-8.
/// No alignment, no padding, no field names: the order of the calls is the format, and
/// `EngineStateFormat.version` changes whenever it does.
///
/// Each component writes itself (`encode(to:)` in its `Type+State.swift`); `StateReader`
/// reads the same calls back in the same order.
struct StateWriter {
    private(set) var bytes: [UInt8] = []

    init() {}

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// A count, index or other non-negative `Int`.
    mutating func varint(_ value: Int) {
        precondition(value >= 0, "varint of a negative Int")
        varint(UInt64(value))
    }

    /// Zigzag: 0, -1, 1, -2 … become 0, 1, 2, 3 …, so small negative numbers stay short.
    mutating func signed(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Up to eight booleans in one byte, the first in bit 0.
    mutating func flags(_ values: Bool...) {
        precondition(values.count <= 8, "more than 8 flags in a byte")
        var packed: UInt8 = 0
        for (bit, value) in values.enumerated() where value { packed |= 1 << UInt8(bit) }
        bytes.append(packed)
    }

    mutating func string(_ value: String) {
        let utf8 = value.utf8
        varint(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    mutating func raw(_ source: UnsafeRawBufferPointer) { bytes.append(contentsOf: source) }

    /// A strictly ascending key as the gap from the previous one (`previous` nil for the
    /// first), so dense keys cost a byte: key − previous − 1.
    mutating func ascendingKey(_ key: UInt64, after previous: inout UInt64?) {
        if let previous {
            precondition(key > previous, "keys must be strictly ascending")
            varint(key - previous - 1)
        } else {
            varint(key)
        }
        previous = key
    }

    /// One closed range of an ascending, disjoint sequence (allocator nodes, IOVA spans):
    /// its start as the gap after the previous range's end, then its size. Packed ranges
    /// cost two bytes, and the reader gets disjointness by construction.
    mutating func disjointRange(_ first: UInt64, _ last: UInt64, after previousLast: inout UInt64?) {
        ascendingKey(first, after: &previousLast)
        varint(last - first)
        previousLast = last
    }

    /// Ascending 64-bit keys with a 64-bit word each (page-table and IOTLB entries): keys
    /// as gaps, words as the zigzag difference from the word before, so a run of PTEs
    /// whose physical address steps by one granule costs three bytes an entry.
    mutating func wordMap(_ entries: [(key: UInt64, word: UInt64)]) {
        varint(entries.count)
        var previousKey: UInt64?
        var previousWord: UInt64 = 0
        for (key, word) in entries {
            ascendingKey(key, after: &previousKey)
            signed(Int64(bitPattern: word &- previousWord))
            previousWord = word
        }
    }

    /// A count, then each element.
    mutating func array<C: Collection>(_ elements: C, _ element: (inout StateWriter, C.Element) -> Void) {
        varint(elements.count)
        for value in elements { element(&self, value) }
    }

    /// A presence byte, then the value when there is one.
    mutating func optional<T>(_ value: T?, _ body: (inout StateWriter, T) -> Void) {
        bool(value != nil)
        if let value { body(&self, value) }
    }
}
