/// The engine's pending timers in firing order: deadline, then arm order. Deterministic by
/// construction (no hashing, no wall clock), and small: one entry per armed kernel timer.
struct TimerQueue: Sendable, Hashable {
    /// Sorted by (deadline, armSerial).
    private(set) var pending: [PendingTimer] = []
    /// The serial the next arming gets.
    private(set) var nextSerial: UInt64 = 0

    init() {}

    /// Restores a queue from its encoded parts (`Engine+State`).
    init(pending: [PendingTimer], nextSerial: UInt64) {
        self.pending = pending.sorted { Self.firesBefore($0, $1) }
        self.nextSerial = nextSerial
    }

    /// `mod_timer()`: arms `timer` for `deadline`, replacing its earlier deadline if armed.
    mutating func arm(_ timer: KernelTimer, at deadline: UInt64) {
        cancel(timer)
        let entry = PendingTimer(timer: timer, deadline: deadline, armSerial: nextSerial)
        nextSerial += 1
        let place = pending.firstIndex { Self.firesBefore(entry, $0) } ?? pending.endIndex
        pending.insert(entry, at: place)
    }

    /// `timer_delete()`: whether it was pending.
    @discardableResult
    mutating func cancel(_ timer: KernelTimer) -> Bool {
        guard let index = pending.firstIndex(where: { $0.timer == timer }) else { return false }
        pending.remove(at: index)
        return true
    }

    /// `timer_pending()`'s deadline, or nil.
    func deadline(of timer: KernelTimer) -> UInt64? {
        pending.first { $0.timer == timer }?.deadline
    }

    /// Takes the first timer due at or before `time`, if any.
    mutating func popDue(by time: UInt64) -> PendingTimer? {
        guard let first = pending.first, first.deadline <= time else { return nil }
        return pending.removeFirst()
    }

    private static func firesBefore(_ lhs: PendingTimer, _ rhs: PendingTimer) -> Bool {
        (lhs.deadline, lhs.armSerial) < (rhs.deadline, rhs.armSerial)
    }
}
