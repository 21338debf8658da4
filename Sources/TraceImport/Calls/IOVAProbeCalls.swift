/// Pairs the entry and `_ret` probe events of the two-step calls (`IOVAProbeEvents`) by
/// task and context: a task preempted inside `dma_iova_link` has its `_ret` after other
/// tasks' calls, and a completion interrupt's `dma_iova_destroy` runs inside whatever
/// task it interrupted, in hardirq context.
///
/// `dma_iova_destroy` calls `dma_iova_unlink(state, 0, mapped_len, …)` and then
/// `dma_iova_free` (drivers/iommu/dma-iommu.c), and each fires its own probe events
/// inside the destroy's: they are the destroy, not calls of their own. The `iommu:map`
/// or `iommu:unmap` a call makes comes between its entry and return in the same task.
struct IOVAProbeCalls {
    /// An entered call: its held event, or nil for a call nested inside another (folded).
    private struct Open {
        var call: IOVACall
        var id: Int?
    }

    private var open: [CallAssembler.TaskKey: [Open]] = [:]

    /// An entry event; returns the id its held event gets, or nil when it is nested in a
    /// call it belongs to (unlink and free inside destroy).
    mutating func enter(_ call: IOVACall, key: CallAssembler.TaskKey, nextID: Int) -> Int? {
        if let outer = open[key]?.last, outer.call == .destroy, call == .unlink || call == .free {
            // Invariant: the `if let` above found open[key]'s last element.
            open[key]!.append(Open(call: call, id: nil))
            return nil
        }
        open[key, default: []].append(Open(call: call, id: nextID))
        return nextID
    }

    /// A `_ret` event: the held call it completes, and how its values go into the call.
    mutating func leave(_ call: IOVACall, key: CallAssembler.TaskKey) -> (Int, (inout ParsedEvent, ParsedEvent) -> Void)? {
        guard var stack = open[key], let index = stack.lastIndex(where: { $0.call == call }) else { return nil }
        let entered = stack[index]
        stack.removeSubrange(index...)
        open[key] = stack.isEmpty ? nil : stack
        guard let id = entered.id else { return nil }
        return (id, Self.merge)
    }

    /// The innermost open call of a task that is not nested: where its IOMMU events go.
    func openCall(of key: CallAssembler.TaskKey) -> Int? {
        open[key]?.last { $0.id != nil }?.id
    }

    /// A call whose return the trace does not hold: it stays as its entry said.
    mutating func abandon(_ id: Int, key: CallAssembler.TaskKey) {
        open[key]?.removeAll { $0.id == id }
        if open[key]?.isEmpty == true { open[key] = nil }
    }

    /// The open calls `oops` happened inside (its task's, named in its call trace), no
    /// longer open: they will never return.
    mutating func interrupted(by oops: KernelOops) -> [Int] {
        var ids: [Int] = []
        for (key, stack) in open where CallAssembler.sameTask(oops.pid, key.pid) {
            let dead = stack.filter { oops.interrupted($0.call.rawValue) }
            guard !dead.isEmpty else { continue }
            ids += dead.compactMap(\.id)
            let left = stack.filter { !oops.interrupted($0.call.rawValue) }
            open[key] = left.isEmpty ? nil : left
        }
        return ids
    }

    mutating func abandonAll() -> [Int] {
        defer { open = [:] }
        return open.values.flatMap { $0.compactMap(\.id) }
    }

    /// What the return says: try_alloc's result and the state it filled in, a link's or
    /// sync's error.
    private static func merge(_ entry: inout ParsedEvent, _ exit: ParsedEvent) {
        guard case .iova(let call) = entry.kind else { return }
        switch call {
        case .tryAlloc:
            entry.fallback = exit.fallback
            entry.address = exit.address
        case .link, .sync:
            if let code = exit.errno, code != 0 { entry.errno = code }
        case .unlink, .destroy, .free:
            break
        }
    }
}
