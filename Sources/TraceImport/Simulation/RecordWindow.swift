/// Records read but not yet run on the model, oldest first, up to `capacity` of them: the
/// import looks this far ahead in the trace (`FlushTimerPlacement.inferredFlushes`).
struct RecordWindow<Element> {
    let capacity: Int
    private var items: [Element] = []
    /// Index in `items` of the oldest record not yet taken.
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    var isEmpty: Bool { head == items.count }
    /// Whether it holds more than `capacity`: the oldest must be run.
    var isOverfull: Bool { items.count - head > capacity }

    mutating func append(_ element: Element) { items.append(element) }

    /// Takes the oldest record.
    mutating func removeFirst() -> Element? {
        guard head < items.count else { return nil }
        let first = items[head]
        head += 1
        if head >= capacity, head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return first
    }

    /// Takes the record `offset` places after the oldest (0 is the oldest).
    mutating func remove(pendingAt offset: Int) -> Element {
        items.remove(at: head + offset)
    }

    /// The records after the ones taken, oldest first.
    var pending: ArraySlice<Element> { items[head...] }
}
