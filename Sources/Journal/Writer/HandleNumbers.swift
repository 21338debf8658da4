import DMASim

/// Which handles a journal has interned, one bit each, for the `NameInterner`'s handles
/// that have left its cache: a `NumberedHandle` (`m42`, `s7`: what every producer makes)
/// sets bit 42 of its kind and prefix's set, in pages of 4,096 bits, so 3.5 M handles cost
/// 440 KB. `mayContain` is exact for such names and true for any other spelling (the
/// caller then asks the `names` table).
struct HandleNumbers {
    private struct Key: Hashable {
        var kind: NameKind
        var prefix: String
    }

    static let wordsPerPage = 64
    private var pages: [Key: [UInt64: [UInt64]]] = [:]

    /// Whether `name` may have been interned: false only for a numbered handle never inserted.
    func mayContain(_ name: NameRef) -> Bool {
        guard let handle = NumberedHandle(name.name) else { return true }
        guard let page = pages[Key(kind: name.kind, prefix: handle.prefix)]?[handle.number / UInt64(Self.bitsPerPage)] else { return false }
        let bit = handle.number % UInt64(Self.bitsPerPage)
        return page[Int(bit / 64)] & (1 << (bit % 64)) != 0
    }

    mutating func insert(_ name: NameRef) {
        guard let handle = NumberedHandle(name.name) else { return }
        let bit = handle.number % UInt64(Self.bitsPerPage)
        pages[Key(kind: name.kind, prefix: handle.prefix), default: [:]][handle.number / UInt64(Self.bitsPerPage), default: Self.emptyPage][Int(bit / 64)]
            |= 1 << (bit % 64)
    }

    private static var bitsPerPage: Int { wordsPerPage * 64 }
    private static var emptyPage: [UInt64] { Array(repeating: 0, count: wordsPerPage) }
}
