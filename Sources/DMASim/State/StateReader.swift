/// Booleans read from one flag byte: `flags[0]` is bit 0. (Not an array: decoding a
/// hundred thousand records should not allocate one per record.)
struct StateFlags: Equatable {
    let bits: UInt8
    subscript(index: Int) -> Bool { bits & (1 << UInt8(index)) != 0 }
}

/// Reads back what `StateWriter` wrote, in the same order, checking every step: a read
/// past the end is `truncated`, a varint longer than 64 bits, a tag or flag bit no writer
/// emits, a count longer than the bytes left or an index out of range is `badTag` or
/// `invalid` — each placed at the byte where the field begins. Nothing here traps on bad
/// input, and no count is trusted before the bytes that must follow it are there.
///
/// `field` names what is being read, as the error reports it ("states[3].handle" reads
/// better, but a static name per call site keeps decoding allocation-free).
struct StateReader {
    private let bytes: [UInt8]
    private let end: Int
    /// Where the next field starts, in the whole encoded state.
    private(set) var offset: Int

    init(_ bytes: [UInt8], from start: Int, to end: Int) {
        precondition(0 <= start && start <= end && end <= bytes.count)
        self.bytes = bytes
        self.offset = start
        self.end = end
    }

    var remainingCount: Int { end - offset }

    // MARK: failures

    func invalid(_ field: StaticString, _ reason: String, at start: Int) -> EngineStateError {
        EngineStateError(.invalid(field: "\(field)", reason: reason), at: start)
    }

    func badTag(_ field: StaticString, _ value: UInt64, at start: Int) -> EngineStateError {
        EngineStateError(.badTag(field: "\(field)", value: value), at: start)
    }

    /// Throws unless every byte was read.
    func expectEnd() throws(EngineStateError) {
        guard offset == end else { throw EngineStateError(.trailingBytes(count: end - offset), at: offset) }
    }

    // MARK: scalars

    mutating func byte(_ field: StaticString) throws(EngineStateError) -> UInt8 {
        guard offset < end else { throw EngineStateError(.truncated(field: "\(field)"), at: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint(_ field: StaticString) throws(EngineStateError) -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end else { throw EngineStateError(.truncated(field: "\(field)"), at: start) }
            let byte = bytes[offset]
            offset += 1
            // The tenth byte holds bit 63 only; anything more is not a 64-bit value.
            if shift == 63 && byte > 1 { throw invalid(field, "varint longer than 64 bits", at: start) }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A varint that must lie in `range`.
    mutating func int(_ field: StaticString, in range: ClosedRange<Int>) throws(EngineStateError) -> Int {
        let start = offset
        let value = try varint(field)
        guard value <= UInt64(Int.max), range.contains(Int(value)) else {
            throw invalid(field, "\(value) is outside \(range.lowerBound)…\(range.upperBound)", at: start)
        }
        return Int(value)
    }

    /// A count of elements that each take at least `minimumBytes`: never more than the
    /// bytes left could hold, so a damaged count cannot make a decoder allocate or loop
    /// beyond the input's size.
    mutating func count(_ field: StaticString, minimumBytes: Int = 1) throws(EngineStateError) -> Int {
        let start = offset
        let value = try varint(field)
        guard value <= UInt64(remainingCount / max(minimumBytes, 1)) else {
            throw EngineStateError(.truncated(field: "\(field) (\(value) elements)"), at: start)
        }
        return Int(value)
    }

    /// An index into something of `count` elements.
    mutating func index(_ field: StaticString, below count: Int) throws(EngineStateError) -> Int {
        let start = offset
        let value = try varint(field)
        guard value < UInt64(count) else { throw invalid(field, "index \(value) is not below \(count)", at: start) }
        return Int(value)
    }

    /// A tag `0..<count`.
    mutating func tag(_ field: StaticString, below count: Int) throws(EngineStateError) -> Int {
        let start = offset
        let value = try varint(field)
        guard value < UInt64(count) else { throw badTag(field, value, at: start) }
        return Int(value)
    }

    mutating func signed(_ field: StaticString) throws(EngineStateError) -> Int64 {
        let zigzag = try varint(field)
        return Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
    }

    mutating func bool(_ field: StaticString) throws(EngineStateError) -> Bool {
        let start = offset
        switch try byte(field) {
        case 0: return false
        case 1: return true
        case let other: throw badTag(field, UInt64(other), at: start)
        }
    }

    /// `count` booleans packed by `StateWriter.flags`; other bits set are a bad tag.
    mutating func flags(_ field: StaticString, count: Int) throws(EngineStateError) -> StateFlags {
        let start = offset
        let packed = try byte(field)
        guard packed >> UInt8(count) == 0 else { throw badTag(field, UInt64(packed), at: start) }
        return StateFlags(bits: packed)
    }

    mutating func string(_ field: StaticString) throws(EngineStateError) -> String {
        let start = offset
        let length = try count(field)
        let utf8 = bytes[offset..<offset + length]
        offset += length
        // Handles and names are ASCII, always valid UTF-8: the generic validator costs more
        // than the rest of a record's decoding.
        if utf8.allSatisfy({ $0 < 0x80 }) { return String(decoding: utf8, as: UTF8.self) }
        guard let value = String(validating: utf8, as: UTF8.self) else { throw invalid(field, "not UTF-8", at: start) }
        return value
    }

    /// Copies `count` raw bytes to `destination`.
    mutating func raw(_ field: StaticString, count: Int, into destination: UnsafeMutableRawPointer) throws(EngineStateError) {
        guard count <= remainingCount else { throw EngineStateError(.truncated(field: "\(field)"), at: offset) }
        bytes.withUnsafeBytes { source in
            destination.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
    }

    /// The next key of a strictly ascending sequence written by `StateWriter.ascendingKey`.
    mutating func ascendingKey(_ field: StaticString, after previous: inout UInt64?) throws(EngineStateError) -> UInt64 {
        let start = offset
        let gap = try varint(field)
        guard let last = previous else {
            previous = gap
            return gap
        }
        let (afterLast, wrapped) = last.addingReportingOverflow(1)
        let (next, overflow) = afterLast.addingReportingOverflow(gap)
        guard !wrapped, !overflow else { throw invalid(field, "key past the 64-bit range", at: start) }
        previous = next
        return next
    }

    /// What `StateWriter.disjointRange` wrote: a range after `previousLast`.
    mutating func disjointRange(_ field: StaticString, after previousLast: inout UInt64?) throws(EngineStateError)
        -> ClosedRange<UInt64> {
        let start = offset
        let first = try ascendingKey(field, after: &previousLast)
        let (last, overflow) = first.addingReportingOverflow(try varint(field))
        guard !overflow else { throw invalid(field, "range ends past the 64-bit range", at: start) }
        previousLast = last
        return first...last
    }

    // MARK: composites

    /// What `StateWriter.wordMap` wrote.
    mutating func wordMap(_ field: StaticString) throws(EngineStateError) -> [(key: UInt64, word: UInt64)] {
        let count = try count(field, minimumBytes: 2)
        var entries: [(key: UInt64, word: UInt64)] = []
        entries.reserveCapacity(count)
        var previousKey: UInt64?
        var previousWord: UInt64 = 0
        for _ in 0..<count {
            let key = try ascendingKey(field, after: &previousKey)
            previousWord &+= UInt64(bitPattern: try signed(field))
            entries.append((key, previousWord))
        }
        return entries
    }

    /// A count, then each element; elements take at least a byte each.
    mutating func array<T>(_ field: StaticString, _ element: (inout StateReader) throws(EngineStateError) -> T)
        throws(EngineStateError) -> [T] {
        let count = try count(field)
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try element(&self)) }
        return values
    }

    mutating func optional<T>(_ field: StaticString, _ body: (inout StateReader) throws(EngineStateError) -> T)
        throws(EngineStateError) -> T? {
        try bool(field) ? try body(&self) : nil
    }
}
