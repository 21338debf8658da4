/// The trace's processes and threads. Each device and each IOMMU is a process; ops with
/// no device (CPU reads and writes) belong to a "cpu" process. In each process, one
/// "events" thread carries faults, findings, kernel warnings and side events, and each
/// IOVA state or streaming mapping has a thread of its own, named by its handle, where its
/// life and its mapped ranges nest (`NestingLanes`; a slice that cannot nest opens a
/// second thread `HANDLE (2)` …).
///
/// pids follow the journal's names (devices, then IOMMUs, then cpu); tids are handed out
/// as threads are first used and are unique across the trace. A handle's threads are
/// named when they open (`takeNewThreads`), and forgotten once nothing of theirs is open,
/// so memory grows with the handles alive at once; a handle name used again later gets
/// new threads with the same name.
struct TrackTable {
    /// A device or IOMMU as the `names` table has it.
    struct OwnerName {
        var id: Int64
        var kind: String
        var name: String
    }

    /// A thread opened since the last `takeNewThreads`, to be named.
    struct NewThread {
        var track: Track
        var name: String
        var sortIndex: Int
    }

    private struct Owner {
        let pid: Int
        let processName: String
        var eventsTid: Int?
    }

    private struct HandleKey: Hashable {
        var owner: Int
        var handle: String
    }

    private struct HandleTracks {
        var lanes = NestingLanes()
        var tids: [Int] = []
    }

    /// A handle whose slices end at `end`: when to look at forgetting it.
    private struct Expiry: Comparable {
        var end: Int64
        var owner: Int
        var handle: String
        static func < (left: Expiry, right: Expiry) -> Bool {
            (left.end, left.owner, left.handle) < (right.end, right.owner, right.handle)
        }
    }

    private var owners: [Owner] = []
    private var indexByNameID: [Int64: Int] = [:]
    private let cpuIndex: Int
    private var lastTid = 0
    private var handles: [HandleKey: HandleTracks] = [:]
    private var expiries = MinHeap<Expiry>()
    private var newThreads: [NewThread] = []
    /// Threads opened for handles, over the whole trace.
    private(set) var handleThreadCount = 0

    /// `names` are the journal's devices and IOMMUs; devices come first in the trace.
    init(_ names: [OwnerName]) {
        let ordered = names.filter { $0.kind == "device" } + names.filter { $0.kind != "device" }
        for name in ordered {
            indexByNameID[name.id] = owners.count
            owners.append(Owner(pid: owners.count + 1, processName: "\(name.kind) \(name.name)"))
        }
        cpuIndex = owners.count
        owners.append(Owner(pid: owners.count + 1, processName: "cpu"))
    }

    /// The "events" thread of the device or IOMMU `nameID` (nil, or a name that is
    /// neither: the cpu process).
    mutating func eventsTrack(of nameID: Int64?) -> Track {
        let index = ownerIndex(nameID)
        if owners[index].eventsTid == nil { owners[index].eventsTid = newTid() }
        return Track(pid: owners[index].pid, tid: owners[index].eventsTid!)
    }

    /// Where a life of `handle` (an IOVA state from its alloc, a streaming mapping from
    /// its map) goes: the top of a lane of the handle's track. Calls come in order of start.
    mutating func lifeTrack(of nameID: Int64?, handle: String, start: Int64, end: Int64, life: Int64) -> Track {
        let key = HandleKey(owner: ownerIndex(nameID), handle: handle)
        forget(before: start)
        let lane = handles[key, default: HandleTracks()].lanes.placeTopLevel(start: start, end: end, life: life)
        return track(key, lane: lane, end: end)
    }

    /// Where a mapped range of `handle` goes: inside its life `life` when it nests there,
    /// else at the top of a lane (`nested` false). `life` nil: a range of no known life.
    mutating func rangeTrack(of nameID: Int64?, handle: String, start: Int64, end: Int64, life: Int64?) -> (track: Track, nested: Bool) {
        let key = HandleKey(owner: ownerIndex(nameID), handle: handle)
        forget(before: start)
        var tracks = handles[key, default: HandleTracks()]
        let placed: (lane: Int, nested: Bool)
        if let life {
            placed = tracks.lanes.placeChild(start: start, end: end, life: life)
        } else {
            placed = (tracks.lanes.placeTopLevel(start: start, end: end, life: nil), false)
        }
        handles[key] = tracks
        return (track(key, lane: placed.lane, end: end), placed.nested)
    }

    /// The threads opened since the last call, to be named now.
    mutating func takeNewThreads() -> [NewThread] {
        defer { newThreads = [] }
        return newThreads
    }

    /// `M` events naming and ordering every process and its events thread. (Handle
    /// threads are named as they open.)
    func metadataEvents() -> [TraceEvent] {
        var events: [TraceEvent] = []
        for (order, owner) in owners.enumerated() {
            let process = Track(pid: owner.pid, tid: 0)
            events.append(Self.metadata("process_name", process, "name", .text(owner.processName)))
            events.append(Self.metadata("process_sort_index", process, "sort_index", .integer(Int64(order))))
            if let tid = owner.eventsTid {
                events += Self.thread(NewThread(track: Track(pid: owner.pid, tid: tid), name: "events", sortIndex: 0))
            }
        }
        return events
    }

    /// `M` events naming a thread and placing it among its process's threads.
    static func thread(_ thread: NewThread) -> [TraceEvent] {
        [metadata("thread_name", thread.track, "name", .text(thread.name)),
         metadata("thread_sort_index", thread.track, "sort_index", .integer(Int64(thread.sortIndex)))]
    }

    /// The thread of `key`'s lane `lane`, opened if new; remembers when to look at
    /// forgetting the handle.
    private mutating func track(_ key: HandleKey, lane: Int, end: Int64) -> Track {
        let pid = owners[key.owner].pid
        // Invariant: both callers store handles[key] (the `default:` subscript, or an assignment) before calling.
        if lane == handles[key]!.tids.count {
            let tid = newTid()
            handles[key]!.tids.append(tid)
            handleThreadCount += 1
            // Handles sort in the order they first appear, after the events thread.
            newThreads.append(NewThread(track: Track(pid: pid, tid: tid), name: lane == 0 ? key.handle : "\(key.handle) (\(lane + 1))",
                                        sortIndex: tid))
        }
        expiries.insert(Expiry(end: end, owner: key.owner, handle: key.handle))
        return Track(pid: pid, tid: handles[key]!.tids[lane])
    }

    /// Forgets handles with nothing open at `start`.
    private mutating func forget(before start: Int64) {
        while let earliest = expiries.minimum, earliest.end <= start {
            _ = expiries.removeMinimum()
            let key = HandleKey(owner: earliest.owner, handle: earliest.handle)
            if let tracks = handles[key], tracks.lanes.latestEnd <= start { handles[key] = nil }
        }
    }

    private mutating func newTid() -> Int {
        lastTid += 1
        return lastTid
    }

    private func ownerIndex(_ nameID: Int64?) -> Int {
        nameID.flatMap { indexByNameID[$0] } ?? cpuIndex
    }

    private static func metadata(_ name: String, _ track: Track, _ key: String, _ value: TraceArgs.Value) -> TraceEvent {
        var event = TraceEvent(name: name, phase: .metadata, timeNanoseconds: 0, track: track)
        event.args.add(key, value)
        return event
    }
}
