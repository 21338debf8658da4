/// An element ordered by a 64-bit key, unique within its collection.
protocol SortKeyed {
    var sortKey: UInt64 { get }
}

/// A sorted sequence stored as a list of small sorted blocks: O(log n) search and
/// O(√n)-ish insert/remove with tiny constants, and cursors that step to the previous or
/// next element in O(1) — the operations the kernel's rbtree walks use. Keys are unique.
struct BlockedSortedArray<Element: SortKeyed> {
    struct Cursor: Equatable {
        var block: Int
        var index: Int
    }

    private static var maxBlockCount: Int { 256 }
    private var blocks: [[Element]] = []
    private(set) var count = 0

    init() {}

    subscript(cursor: Cursor) -> Element {
        get { blocks[cursor.block][cursor.index] }
        set {
            precondition(newValue.sortKey == blocks[cursor.block][cursor.index].sortKey, "key changed in place")
            blocks[cursor.block][cursor.index] = newValue
        }
    }

    var first: Cursor? { blocks.isEmpty ? nil : Cursor(block: 0, index: 0) }
    var last: Cursor? { blocks.isEmpty ? nil : Cursor(block: blocks.count - 1, index: blocks[blocks.count - 1].count - 1) }

    func predecessor(_ cursor: Cursor) -> Cursor? {
        if cursor.index > 0 { return Cursor(block: cursor.block, index: cursor.index - 1) }
        if cursor.block == 0 { return nil }
        return Cursor(block: cursor.block - 1, index: blocks[cursor.block - 1].count - 1)
    }

    func successor(_ cursor: Cursor) -> Cursor? {
        if cursor.index + 1 < blocks[cursor.block].count { return Cursor(block: cursor.block, index: cursor.index + 1) }
        if cursor.block + 1 == blocks.count { return nil }
        return Cursor(block: cursor.block + 1, index: 0)
    }

    /// The element with the greatest key ≤ `key`.
    func floor(_ key: UInt64) -> Cursor? {
        let block = lastBlock(withFirstKeyAtMost: key)
        guard block >= 0 else { return nil }
        let index = lastIndex(in: blocks[block], withKeyAtMost: key)
        return Cursor(block: block, index: index)
    }

    /// The element with the least key ≥ `key`.
    func ceiling(_ key: UInt64) -> Cursor? {
        if let at = floor(key) {
            return self[at].sortKey == key ? at : successor(at)
        }
        return first
    }

    /// The element whose key is exactly `key`.
    func find(_ key: UInt64) -> Cursor? {
        guard let at = floor(key), self[at].sortKey == key else { return nil }
        return at
    }

    /// Inserts an element whose key is not present yet.
    @discardableResult
    mutating func insert(_ element: Element) -> Cursor {
        count += 1
        guard !blocks.isEmpty else {
            blocks.append([element])
            return Cursor(block: 0, index: 0)
        }
        let block = max(lastBlock(withFirstKeyAtMost: element.sortKey), 0)
        let position = blocks[block].isEmpty ? 0 : lastIndex(in: blocks[block], withKeyAtMost: element.sortKey) + 1
        precondition(position == 0 || blocks[block][position - 1].sortKey != element.sortKey, "duplicate key")
        blocks[block].insert(element, at: position)
        if blocks[block].count > Self.maxBlockCount { return split(block, locating: position) }
        return Cursor(block: block, index: position)
    }

    /// Removes the element at `cursor`.
    mutating func remove(at cursor: Cursor) {
        count -= 1
        blocks[cursor.block].remove(at: cursor.index)
        if blocks[cursor.block].isEmpty { blocks.remove(at: cursor.block) }
    }

    /// All elements in key order.
    var elements: [Element] { blocks.flatMap { $0 } }

    private mutating func split(_ block: Int, locating position: Int) -> Cursor {
        let half = blocks[block].count / 2
        let upper = Array(blocks[block][half...])
        blocks[block].removeSubrange(half...)
        blocks.insert(upper, at: block + 1)
        return position < half ? Cursor(block: block, index: position) : Cursor(block: block + 1, index: position - half)
    }

    /// Index of the last block whose first key is ≤ key, or -1.
    private func lastBlock(withFirstKeyAtMost key: UInt64) -> Int {
        var low = 0, high = blocks.count
        while low < high {
            let middle = (low + high) / 2
            if blocks[middle][0].sortKey <= key { low = middle + 1 } else { high = middle }
        }
        return low - 1
    }

    /// Index of the last element with key ≤ key in a block whose first key is ≤ key.
    private func lastIndex(in block: [Element], withKeyAtMost key: UInt64) -> Int {
        var low = 0, high = block.count
        while low < high {
            let middle = (low + high) / 2
            if block[middle].sortKey <= key { low = middle + 1 } else { high = middle }
        }
        return low - 1
    }
}
