/// The epitaphs of ended handles, by handle (Engine+Retirement). Workloads and trace
/// imports never reuse a handle, so this is the part of the engine that still grows with
/// the run; it is laid out to cost little more than the epitaphs themselves.
///
/// A handle spelled as a prefix and a decimal number without leading zeros (`s1`, `m42`,
/// `u7`: what every producer makes) sits in a page of 64 by its number, pages by prefix:
/// a run's handles are dense in number, so pages fill up and a handle costs its epitaph
/// (24 or 40 bytes) and no key. Any other spelling goes to a plain dictionary.
struct EpitaphTable<Epitaph> {
    private struct Page {
        var slots: [Epitaph?] = Array(repeating: nil, count: EpitaphTable.pageSize)
        var filledCount = 0
    }

    static var pageSize: Int { 64 }
    private var pagesOfPrefix: [String: [UInt64: Page]] = [:]
    private var otherHandles: [String: Epitaph] = [:]
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    subscript(handle: String) -> Epitaph? {
        guard let (prefix, number) = Self.numbered(handle) else { return otherHandles[handle] }
        return pagesOfPrefix[prefix]?[number / UInt64(Self.pageSize)]?.slots[Int(number % UInt64(Self.pageSize))]
    }

    /// Sets the epitaph of `handle`; returns the one it had.
    @discardableResult
    mutating func updateValue(_ epitaph: Epitaph, forKey handle: String) -> Epitaph? {
        let previous: Epitaph?
        if let (prefix, number) = Self.numbered(handle) {
            let pageNumber = number / UInt64(Self.pageSize)
            previous = Self.put(epitaph, at: Int(number % UInt64(Self.pageSize)),
                                in: &pagesOfPrefix[prefix, default: [:]][pageNumber, default: Page()])
        } else {
            previous = otherHandles.updateValue(epitaph, forKey: handle)
        }
        if previous == nil { count += 1 }
        return previous
    }

    private static func put(_ epitaph: Epitaph, at slot: Int, in page: inout Page) -> Epitaph? {
        let previous = page.slots[slot]
        page.slots[slot] = epitaph
        if previous == nil { page.filledCount += 1 }
        return previous
    }

    /// Removes the epitaph of `handle`; returns it.
    @discardableResult
    mutating func removeValue(forKey handle: String) -> Epitaph? {
        guard !isEmpty else { return nil }
        let removed: Epitaph?
        if let (prefix, number) = Self.numbered(handle) {
            let pageNumber = number / UInt64(Self.pageSize)
            guard var page = pagesOfPrefix[prefix]?[pageNumber] else { return nil }
            removed = page.slots[Int(number % UInt64(Self.pageSize))]
            guard removed != nil else { return nil }
            page.slots[Int(number % UInt64(Self.pageSize))] = nil
            page.filledCount -= 1
            // Invariant: `page` was just read from pagesOfPrefix[prefix] (the guard above).
            pagesOfPrefix[prefix]![pageNumber] = page.filledCount == 0 ? nil : page
            if pagesOfPrefix[prefix]!.isEmpty { pagesOfPrefix[prefix] = nil }
        } else {
            removed = otherHandles.removeValue(forKey: handle)
        }
        if removed != nil { count -= 1 }
        return removed
    }

    /// Every epitaph in one order whatever the history: numbered handles by prefix, then
    /// number; then the others by handle.
    var entries: [(handle: String, epitaph: Epitaph)] {
        var result: [(handle: String, epitaph: Epitaph)] = []
        result.reserveCapacity(count)
        for prefix in pagesOfPrefix.keys.sorted() {
            // Invariant: keys from the dictionaries they index (here and the two lookups below).
            let pages = pagesOfPrefix[prefix]!
            for pageNumber in pages.keys.sorted() {
                for (slot, epitaph) in pages[pageNumber]!.slots.enumerated() {
                    guard let epitaph else { continue }
                    result.append((prefix + String(pageNumber * UInt64(Self.pageSize) + UInt64(slot)), epitaph))
                }
            }
        }
        for handle in otherHandles.keys.sorted() { result.append((handle, otherHandles[handle]!)) }
        return result
    }

    private static func numbered(_ handle: String) -> (prefix: String, number: UInt64)? {
        NumberedHandle(handle).map { ($0.prefix, $0.number) }
    }
}
