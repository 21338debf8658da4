/// Turns a trace's events into the kernel calls that made them, one event per call, in
/// the order the calls began.
///
/// A call through an IOMMU writes several events: `dma_map_phys` traces its `iommu:map`
/// first and itself after (kernel/dma/mapping.c `dma_map_phys`, drivers/iommu/iommu.c
/// `iommu_map_nosync`), `dma_unmap_phys` its `iommu:unmap` first, `dma_free` itself first
/// and its `iommu:unmap` after (`dma_free_attrs`), and a `dma_alloc` may map several
/// chunks before its one event. Those become one event carrying the IOMMU events it
/// caused (`ParsedEvent.iommuEvents`). The two-step API (`dma_iova_*`, NVMe since 6.17)
/// has no tracepoint: a request shows as `iommu:map` events that no DMA API event
/// claims, at consecutive IOVAs, and one `iommu:unmap` of them all at `dma_iova_destroy`;
/// those are rebuilt into `dma_iova_try_alloc`, one `dma_iova_link` per map,
/// `dma_iova_sync` and `dma_iova_destroy` (`TwoStepRebuild`). A `dma_free` of a NULL
/// buffer, which `dma_free_attrs` traces and then returns from, becomes a no-op.
///
/// Events of one call share a task and a context (`ExecutionContext`: an interrupt's
/// events carry the task it interrupted), so pairing is per (file, pid, context). An
/// event whose call is not settled yet holds back everything after it; a run of
/// two-step maps is settled by the unmap that ends it, or after `horizon` held events.
final class CallAssembler {
    /// Events held back at most, before an unsettled two-step run is settled by its shape alone.
    static let horizon = 1 << 16

    struct TaskKey: Hashable {
        var source: Int
        var pid: Int?
        var context: ExecutionContext?
    }

    enum Hold {
        /// Settled: its events go out when everything before them has.
        case ready
        /// An `iommu:map` no DMA API event has claimed yet.
        case unclaimedMap
        /// An `iommu:map` that no DMA API event claimed: a two-step link, until its request is known.
        case piece
        /// An `iommu:unmap` of a streaming mapping, waiting for its `dma_unmap_*` event.
        case unmapAwaitingCall
        /// A `dma_free` of an IOMMU allocation, waiting for its `iommu:unmap`.
        case freeAwaitingUnmap
        /// A two-step call's entry probe event, waiting for its `_ret` event.
        case callAwaitingReturn
    }

    struct Item {
        var events: [ParsedEvent]
        var source: Int
        var hold: Hold
        var key: TaskKey
        /// Set on an interrupt's unmap that may have come after a call the interrupted
        /// task had begun: see `AllocationGate`.
        var gate: AllocationGate?
    }

    /// A completion interrupt can arrive between a task's `dma_iova_try_alloc` and its
    /// first `dma_iova_link` (the NVMe queueing path: blk_rq_dma_map_iter_start() then
    /// blk_rq_dma_map_iova()), and only the link is traced. Its IOVA says which: a range
    /// the interrupt freed could not have been allocated before it, and an allocation
    /// after the free of anything else is the allocation before it (the frees' IOVAs are
    /// on top of the CPU's rcache magazine, `free_iova_fast`, for the next allocation of
    /// their size). So an interrupt's unmap in a task is held until the task's next event;
    /// if that is a map outside every range the interrupts freed, until the map's call is
    /// known, and a rebuilt try_alloc goes before the interrupts. A streaming map on a
    /// strict IOMMU is the same: `iommu_dma_map_phys()` allocates (`iommu_dma_alloc_iova()`)
    /// before it maps and traces, so an interrupt between them shows the same way, and the
    /// whole call goes before the interrupts (their unmaps touch other ranges).
    enum AllocationGate: Equatable {
        /// Waiting for the interrupted task's next event in task context.
        case task
        /// Waiting for the map `id` (the task's next event) to be settled.
        case allocation(of: Int)
    }

    /// A task in one file: an interrupt's events carry the task it interrupted.
    struct TaskID: Hashable {
        var source: Int
        var pid: Int
    }

    /// A CPU in one file.
    struct CPUID: Hashable {
        var source: Int
        var cpu: Int
    }

    private var items: [Item?] = []
    /// Absolute number of `items[0]`.
    private var base = 0
    /// Index in `items` of the first item not handed out.
    private var head = 0
    private var unclaimedMaps: [TaskKey: [Int]] = [:]
    private var unmapsAwaitingCall: [TaskKey: Int] = [:]
    private var freesAwaitingUnmap: [TaskKey: Int] = [:]
    /// Interrupts' unmaps in each task since its last event in task context (gated `.task`).
    private var interruptUnmaps: [TaskID: [Int]] = [:]
    /// The task whose interrupts' unmaps are gated, per (file, CPU): an event of any other
    /// task there means it stopped running, and so was not inside a call all along.
    private var interruptedTaskOnCPU: [CPUID: TaskID] = [:]
    /// The interrupts' unmaps (gated `.allocation(of:)`) each map's call may have begun before.
    private var allocationGates: [Int: [Int]] = [:]
    /// Where a DMA API mapping through the IOMMU starts, per file: IOVA → its end.
    private var streamingIOVAs: [Int: [UInt64: UInt64]] = [:]
    var rebuild = TwoStepRebuild()
    /// Whether the IOMMU is strict (the machine's facts say so): then a streaming unmap
    /// frees its IOVA at once (`iommu_dma_free_iova()` → `free_iova_fast()`), and an
    /// interrupt's unmaps say when a streaming map allocated; lazy, `queue_iova()` holds
    /// them, and a streaming map keeps its place in the trace.
    var strictIOMMU = false
    /// The kernel oopses the input reported.
    private var oopses: [KernelOops] = []
    var probes = IOVAProbeCalls()

    // MARK: in and out

    /// Takes the next event of file `source` in trace order.
    func feed(_ event: ParsedEvent, source: Int) {
        if case .oops(let oops) = event.kind { return take(oops) }
        let key = TaskKey(source: source, pid: event.provenance.pid, context: event.provenance.context)
        let count = items.count
        // The idle task (pid 0) makes no DMA calls an interrupt could come in the middle of.
        let task = event.provenance.pid.flatMap { $0 == 0 ? nil : TaskID(source: source, pid: $0) }
        let cpu = event.provenance.cpu.map { CPUID(source: source, cpu: $0) }
        if let cpu, let running = interruptedTaskOnCPU[cpu],
           running.pid != event.provenance.pid || (event.provenance.taskRanBefore.map { $0 != running.pid } ?? false) {
            interruptedTaskOnCPU[cpu] = nil
            for id in interruptUnmaps.removeValue(forKey: running) ?? [] { update(id) { $0.gate = nil } }
        }
        if let task, let cpu, key.context == .task, let elsewhere = interruptedTaskOnCPU.first(where: { $0.value == task && $0.key != cpu })?.key {
            // The task runs on another CPU than the one its interrupts came on: it was
            // migrated, so it stopped running in between and was not inside a call (and
            // a try_alloc before the interrupts would have run on that other CPU).
            interruptedTaskOnCPU[elsewhere] = nil
            for id in interruptUnmaps.removeValue(forKey: task) ?? [] { update(id) { $0.gate = nil } }
        }
        let interrupted = task.flatMap { key.context == .task ? interruptUnmaps.removeValue(forKey: $0) : nil }
        dispatch(event, key: key)
        if let task, key.context != .task, key.context != nil, Self.isBareIOMMUUnmap(event), items.count > count {
            // The unmap's own item, or the destroy rebuilt from it.
            let id = base + items.count - 1
            update(id) { $0.gate = .task }
            interruptUnmaps[task, default: []].append(id)
            if let cpu { interruptedTaskOnCPU[cpu] = task }
        }
        if let interrupted {
            let mapID = base + items.count - 1
            // The allocation came after the unmap that freed its IOVA (if one did) and before
            // the ones after it: free_iova_fast() puts each freed IOVA on top of the magazine.
            let after: [Int]
            if Self.isBareIOMMUMap(event), items.count > count, item(mapID)?.hold == .unclaimedMap, let iova = event.address {
                let freedIt = interrupted.lastIndex { id in freedRanges([id]).contains { $0.contains(iova) } }
                after = freedIt.map { Array(interrupted[($0 + 1)...]) } ?? interrupted
            } else {
                after = []
            }
            for id in interrupted { update(id) { $0.gate = after.contains(id) ? .allocation(of: mapID) : nil } }
            if !after.isEmpty { allocationGates[mapID] = after }
        }
        if items.count - head > Self.horizon { settleHead() }
    }

    private func dispatch(_ event: ParsedEvent, key: TaskKey) {
        let source = key.source
        if case .iova(let call) = event.kind {
            settle(key)
            if probes.enter(call, key: key, nextID: base + items.count) != nil {
                append(event, source: source, key: key, hold: .callAwaitingReturn)
            }
        } else if case .iovaReturn(let call) = event.kind {
            settle(key)
            if let (id, merge) = probes.leave(call, key: key), var entry = item(id)?.events.first {
                merge(&entry, event)
                update(id) { $0.events = [entry]; $0.hold = .ready }
                if call == .tryAlloc { placeProbedAllocation(at: id, key: key) }
            }
        } else if let id = probes.openCall(of: key), Self.isBareIOMMUMap(event) || Self.isBareIOMMUUnmap(event),
                  var call = item(id)?.events.first {
            // The page-table change the open dma_iova_* call makes: part of it.
            call.iommuEvents.append(Self.iommuEvent(event))
            update(id) { $0.events = [call] }
        } else if Self.isBareIOMMUMap(event) {
            takeIOMMUMap(event, key: key)
        } else if Self.isBareIOMMUUnmap(event) {
            settleUnclaimedMaps(of: key)
            takeIOMMUUnmap(event, key: key)
        } else if event.kind == .map, event.naming.hasPrefix("dma_") {
            rebuild.noteDMATracing(source: source)
            takeDMAMap(event, key: key)
        } else if event.kind == .unmap, event.naming.hasPrefix("dma_") {
            rebuild.noteDMATracing(source: source)
            settleUnclaimedMaps(of: key)
            takeDMAUnmap(event, key: key)
        } else {
            settle(key)
            append(event, source: source, key: key, hold: .ready)
        }
    }

    /// The next settled event in call order, or nil until more arrive.
    func next() -> (event: ParsedEvent, source: Int)? {
        while head < items.count {
            guard let item = items[head] else { head += 1; continue }
            guard item.hold == .ready else { return nil }
            if let gate = item.gate {
                guard case .allocation(let mapID) = gate, self.item(mapID)?.hold ?? .ready == .ready else { return nil }
                // Invariant: items[head] is `item`, non-nil (the guard above), until it is cleared below.
                items[head]!.gate = nil
                allocationGates[mapID] = nil
            }
            if item.events.isEmpty { items[head] = nil; head += 1; continue }
            let event = items[head]!.events.removeFirst()
            if items[head]!.events.isEmpty { items[head] = nil; head += 1 }
            compactIfWorthIt()
            return (event, item.source)
        }
        return nil
    }

    /// At the end of the input: everything still held is settled as far as the trace allows.
    func finish() {
        for key in Array(unclaimedMaps.keys) { settleUnclaimedMaps(of: key) }
        for key in Array(unmapsAwaitingCall.keys) { releaseUnmap(of: key) }
        for key in Array(freesAwaitingUnmap.keys) { releaseFree(of: key) }
        for id in probes.abandonAll() { settleUnreturned(id) }
        for ids in interruptUnmaps.values { for id in ids { update(id) { $0.gate = nil } } }
        interruptUnmaps = [:]
        while settleHead() {}
    }

    // MARK: IOMMU events

    private func takeIOMMUMap(_ event: ParsedEvent, key: TaskKey) {
        releaseUnmap(of: key)
        releaseFree(of: key)
        // A map that does not continue the task's run of maps ends it: those maps had
        // no DMA API event of their own (a multi-chunk dma_alloc's maps are consecutive).
        if let last = unclaimedMaps[key]?.last, let previous = item(last)?.events.first,
           let end = previous.address.map({ $0 &+ (previous.sizeBytes ?? 0) }), end != event.address {
            settleUnclaimedMaps(of: key)
        }
        let id = append(event, source: key.source, key: key, hold: .unclaimedMap)
        unclaimedMaps[key, default: []].append(id)
    }

    private func takeIOMMUUnmap(_ event: ParsedEvent, key: TaskKey) {
        releaseUnmap(of: key)
        guard let iova = event.address else { return plain(event, key: key) }
        let end = iova &+ (event.sizeBytes ?? 0)
        if let id = freesAwaitingUnmap.removeValue(forKey: key), var free = item(id)?.events.first,
           let address = free.address, address >= iova, address < end {
            free.iommuEvents.append(Self.iommuEvent(event))
            streamingIOVAs[key.source]?[iova] = nil
            update(id) { $0.events = [free]; $0.hold = .ready }
            return
        }
        releaseFree(of: key)
        if streamingIOVAs[key.source]?.removeValue(forKey: iova) != nil {
            let id = append(event, source: key.source, key: key, hold: .unmapAwaitingCall)
            unmapsAwaitingCall[key] = id
            return
        }
        // No DMA API call mapped this range: the maps inside it were two-step links,
        // whatever task made them (an unmap cannot come before its map's own DMA event).
        for (other, ids) in unclaimedMaps {
            let inside = ids.filter { item($0)?.events.first?.address.map { $0 >= iova && $0 < end } ?? false }
            guard !inside.isEmpty else { continue }
            unclaimedMaps[other] = ids.filter { !inside.contains($0) }
            for id in inside { makePiece(id) }
        }
        if let request = rebuild.request(endedBy: event, source: key.source) {
            for (id, events) in request.links { update(id) { $0.events = events; $0.hold = .ready } }
            if let first = request.links.first?.0 { placeAllocation(ofCallAt: first) }
            append(request.destroy, source: key.source, key: key, hold: .ready)
            return
        }
        plain(event, key: key)
    }

    // MARK: DMA API events

    /// A DMA API map claims its task's unclaimed `iommu:map` events that cover its DMA
    /// addresses; it takes the place of the first, where the call began.
    private func takeDMAMap(_ event: ParsedEvent, key: TaskKey) {
        releaseUnmap(of: key)
        releaseFree(of: key)
        let ids = unclaimedMaps.removeValue(forKey: key) ?? []
        let ranges = Self.dmaRanges(of: event)
        let claimed = ids.filter { id in
            guard let map = item(id)?.events.first, let iova = map.address else { return false }
            let end = iova &+ (map.sizeBytes ?? 0)
            return ranges.contains { $0.lowerBound < end && iova < $0.upperBound }
        }
        for id in ids where !claimed.contains(id) { makePiece(id) }
        let maps = claimed.compactMap { item($0)?.events.first }.map(Self.iommuEvent).sorted { $0.iova < $1.iova }
        guard let first = claimed.first, Self.covers(maps, ranges) else {
            for id in claimed { makePiece(id) }
            append(event, source: key.source, key: key, hold: .ready)
            return
        }
        var folded = event
        folded.iommuEvents = maps
        // The call began at its first IOMMU event: that is where it goes, and when.
        if let start = item(first)?.events.first?.provenance.timestampNanoseconds { folded.provenance.timestampNanoseconds = start }
        if folded.phys == nil, event.naming.hasPrefix("dma_alloc"), let start = maps.first?.phys, let address = event.address,
           let iova = maps.first?.iova {
            folded.phys = start &+ (address &- iova)   // dma_alloc traces no physical address
        }
        rebuild.noteDeviceBehindIOMMU(folded, source: key.source)
        update(first) { $0.events = [folded]; $0.hold = .ready }
        for id in claimed.dropFirst() { update(id) { $0.events = []; $0.hold = .ready } }
        placeAllocation(ofCallAt: first)
        if let start = maps.first?.iova, let end = maps.last?.end { streamingIOVAs[key.source, default: [:]][start] = end }
    }

    /// A DMA API unmap takes in the `iommu:unmap` its task traced just before; a
    /// `dma_free` waits for the one it traces just after. A `dma_free` of NULL did nothing.
    private func takeDMAUnmap(_ event: ParsedEvent, key: TaskKey) {
        releaseFree(of: key)
        if event.naming == "dma_free", event.address == 0, (event.sizeBytes ?? 0) == 0 {
            releaseUnmap(of: key)
            var noOp = event
            noOp.kind = .noOp
            noOp.note = "dma_free of a NULL buffer: dma_free_attrs() traces it, then returns without doing anything"
            append(noOp, source: key.source, key: key, hold: .ready)
            return
        }
        if let id = unmapsAwaitingCall.removeValue(forKey: key), let unmap = item(id)?.events.first,
           let iova = unmap.address, let address = event.address, address >= iova, address < iova &+ (unmap.sizeBytes ?? 0) {
            var folded = event
            folded.iommuEvents = [Self.iommuEvent(unmap)]
            if let start = unmap.provenance.timestampNanoseconds { folded.provenance.timestampNanoseconds = start }
            update(id) { $0.events = [folded]; $0.hold = .ready }
            return
        }
        releaseUnmap(of: key)
        if event.naming.hasPrefix("dma_free"), let address = event.address,
           streamingIOVAs[key.source]?.contains(where: { address >= $0.key && address < $0.value }) == true {
            let id = append(event, source: key.source, key: key, hold: .freeAwaitingUnmap)
            freesAwaitingUnmap[key] = id
            return
        }
        append(event, source: key.source, key: key, hold: .ready)
    }

    // MARK: settling

    /// Anything else the task does settles what it left open.
    private func settle(_ key: TaskKey) {
        settleUnclaimedMaps(of: key)
        releaseUnmap(of: key)
        releaseFree(of: key)
    }

    private func settleUnclaimedMaps(of key: TaskKey) {
        for id in unclaimedMaps.removeValue(forKey: key) ?? [] { makePiece(id) }
    }

    private func makePiece(_ id: Int) {
        guard let map = item(id) else { return }
        if rebuild.addPiece(id, map.events[0], key: map.key) {
            update(id) { $0.hold = .piece }
        } else {
            update(id) { $0.hold = .ready }
        }
    }

    /// An `iommu:unmap` whose task went on without a DMA API unmap: an unmap of its own.
    private func releaseUnmap(of key: TaskKey) {
        guard let id = unmapsAwaitingCall.removeValue(forKey: key) else { return }
        update(id) { $0.hold = .ready }
    }

    private func releaseFree(of key: TaskKey) {
        guard let id = freesAwaitingUnmap.removeValue(forKey: key) else { return }
        update(id) { $0.hold = .ready }
    }

    /// Settles the first held event as far as the trace so far allows: the call it waits
    /// for is not in the trace, or too far away. A two-step run is settled by its shape
    /// alone. Returns whether an event was held.
    @discardableResult
    private func settleHead() -> Bool {
        guard let index = items[head...].firstIndex(where: { $0 != nil && ($0?.hold != .ready || $0?.gate != nil) }),
              let held = items[index] else {
            return false
        }
        let id = index + base
        if held.gate != nil {
            update(id) { $0.gate = nil }
            return true
        }
        switch held.hold {
        case .ready: break
        case .unclaimedMap: settleUnclaimedMaps(of: held.key)
        case .unmapAwaitingCall: releaseUnmap(of: held.key)
        case .freeAwaitingUnmap: releaseFree(of: held.key)
        case .callAwaitingReturn:
            probes.abandon(id, key: held.key)
            settleUnreturned(id)
        case .piece:
            if let request = rebuild.requestByShape(startingAt: id) {
                for (link, events) in request { update(link) { $0.events = events; $0.hold = .ready } }
                if let first = request.first?.0 { placeAllocation(ofCallAt: first) }
            } else {
                update(id) { $0.hold = .ready }
            }
        }
        return true
    }

    // MARK: interrupts inside a call

    /// The IOVA ranges the items' unmaps freed.
    private func freedRanges(_ ids: [Int]) -> [Range<UInt64>] {
        ids.flatMap { id in
            (item(id)?.events ?? []).flatMap { event -> [Range<UInt64>] in
                let own = Self.isBareIOMMUUnmap(event) ? [Self.iommuEvent(event)] : []
                return (own + event.iommuEvents.filter { $0.phys == nil }).map { $0.iova..<max($0.end, $0.iova &+ 1) }
            }
        }
    }

    /// The allocation a call made before the interrupts whose unmaps came between it and
    /// its first `iommu:map` goes before them, when its IOVA says so: a rebuilt request's
    /// try_alloc (the first event of its first link's item), or a streaming map whole (the
    /// call folded into its first map's item).
    private func placeAllocation(ofCallAt first: Int) {
        let gated = (allocationGates.removeValue(forKey: first) ?? []).filter { item($0)?.gate == .allocation(of: first) }
        for id in gated { update(id) { $0.gate = nil } }
        guard let earliest = gated.first, var alloc = item(first)?.events.first,
              alloc.kind == .iova(.tryAlloc) || (alloc.kind == .map && !alloc.iommuEvents.isEmpty && strictIOMMU) else { return }
        update(first) { $0.events.removeFirst() }
        if let time = item(earliest)?.events.first?.provenance.timestampNanoseconds { alloc.provenance.timestampNanoseconds = time }
        alloc.note = (alloc.note.map { $0 + "; " } ?? "") + "placed before the interrupt that unmapped other IOVAs before its first "
            + (alloc.kind == .map ? "iommu:map" : "link") + ": the IOVA it got is not one they freed"
        update(earliest) { $0.events.insert(alloc, at: 0) }
    }

    /// A probed `dma_iova_try_alloc` whose entry and return bracket an interrupt's unmaps
    /// in its task (a completion, `d.h` in the flags, between the entry and the allocation
    /// inside it, or after): its IOVA, which the return event gives exactly, says where
    /// the allocation fell. One the interrupt freed could only be allocated after that
    /// free (`free_iova_fast()` put it on top of the CPU's magazine), so the call goes right
    /// after the last unmap that freed it; anything else stays at the entry.
    private func placeProbedAllocation(at id: Int, key: TaskKey) {
        guard var alloc = item(id)?.events.first, alloc.kind == .iova(.tryAlloc), let address = alloc.address, !alloc.fallback else { return }
        let inside = ((id + 1)..<(base + items.count)).filter { other in
            guard let inner = item(other)?.key else { return false }
            return inner.source == key.source && inner.pid == key.pid && inner.context != .task && inner.context != nil
        }
        guard let freedIt = inside.last(where: { freedRanges([$0]).contains { $0.contains(address) } }) else { return }
        update(id) { $0.events.removeFirst() }
        if let time = item(freedIt)?.events.last?.provenance.timestampNanoseconds { alloc.provenance.timestampNanoseconds = time }
        alloc.note = (alloc.note.map { $0 + "; " } ?? "") + "placed after the interrupt's unmap that freed the IOVA it returned: "
            + "the interrupt came inside the call, before its allocation"
        update(freedIt) { $0.events.append(alloc) }
    }

    // MARK: oopses

    /// A kernel oops: the calls of its task it interrupted, open now or found open later,
    /// never return (a capture's `# oops:` lines come before its trace).
    private func take(_ oops: KernelOops) {
        oopses.append(oops)
        for id in probes.interrupted(by: oops) { settleUnreturned(id) }
    }

    /// A call whose return the trace does not hold, settled as its entry said; when an
    /// oops of its task names its function, the kernel died inside it (`oopsed`).
    private func settleUnreturned(_ id: Int) {
        let oopses = self.oopses
        update(id) { item in
            item.hold = .ready
            guard case .iova(let call)? = item.events.first?.kind else { return }
            if oopses.contains(where: { $0.interrupted(call.rawValue) && Self.sameTask($0.pid, item.key.pid) }) {
                item.events[0].oopsed = true
            }
        }
    }

    /// An unknown pid on either side matches (a log without the report's `CPU:` line).
    static func sameTask(_ oopsed: Int?, _ caller: Int?) -> Bool {
        guard let oopsed, let caller else { return true }
        return oopsed == caller
    }

    // MARK: the held events

    @discardableResult
    private func append(_ event: ParsedEvent, source: Int, key: TaskKey, hold: Hold) -> Int {
        items.append(Item(events: [event], source: source, hold: hold, key: key))
        return base + items.count - 1
    }

    private func plain(_ event: ParsedEvent, key: TaskKey) {
        append(event, source: key.source, key: key, hold: .ready)
    }

    private func item(_ id: Int) -> Item? {
        let index = id - base
        return index >= 0 && index < items.count ? items[index] : nil
    }

    private func update(_ id: Int, _ change: (inout Item) -> Void) {
        let index = id - base
        guard index >= 0, index < items.count, items[index] != nil else { return }
        // Invariant: the guard above checked items[index] != nil.
        change(&items[index]!)
    }

    private func compactIfWorthIt() {
        guard head >= 4096, head * 2 >= items.count else { return }
        items.removeFirst(head)
        base += head
        head = 0
    }

    // MARK: shapes

    /// An `iommu:map` that names no device: the kernel's own tracepoint.
    static func isBareIOMMUMap(_ event: ParsedEvent) -> Bool {
        event.kind == .map && event.device == nil && event.space == nil && event.naming.hasPrefix("iommu_map")
            && !event.naming.hasSuffix("pr_debug") && event.address != nil
    }

    static func isBareIOMMUUnmap(_ event: ParsedEvent) -> Bool {
        event.kind == .unmap && event.device == nil && event.space == nil && event.naming.hasPrefix("iommu_unmap")
            && !event.naming.hasSuffix("pr_debug")
    }

    static func iommuEvent(_ event: ParsedEvent) -> IOMMUEvent {
        IOMMUEvent(iova: event.address ?? 0, sizeBytes: event.sizeBytes ?? 0, phys: event.kind == .map ? event.phys : nil,
                   unmappedBytes: event.unmappedBytes, line: event.provenance.line, raw: event.provenance.raw,
                   timestampNanoseconds: event.provenance.timestampNanoseconds)
    }

    /// The DMA addresses a map event returned: each segment, or its one range. A map that
    /// returned `DMA_MAPPING_ERROR` (all ones: `dma:dma_map_phys dma_addr=ffffffffffffffff`,
    /// an untrusted device's bounce with no swiotlb pool) returned none; a range that would
    /// pass 2^64 ends there.
    static func dmaRanges(of event: ParsedEvent) -> [Range<UInt64>] {
        if !event.segments.isEmpty {
            return event.segments.compactMap { range(at: $0.address, length: $0.length) }
        }
        guard let address = event.address else { return [] }
        return range(at: address, length: event.sizeBytes ?? 1).map { [$0] } ?? []
    }

    private static func range(at address: UInt64, length: UInt64) -> Range<UInt64>? {
        guard address != .max else { return nil }
        let (end, overflow) = address.addingReportingOverflow(max(length, 1))
        return address..<(overflow ? .max : end)
    }

    /// Whether IOMMU maps, sorted by IOVA, are one contiguous run covering every range.
    private static func covers(_ maps: [IOMMUEvent], _ ranges: [Range<UInt64>]) -> Bool {
        guard let first = maps.first, !ranges.isEmpty else { return false }
        var end = first.iova
        for map in maps {
            guard map.iova == end else { return false }
            end = map.end
        }
        return ranges.allSatisfy { $0.lowerBound >= first.iova && $0.upperBound <= end }
    }
}
