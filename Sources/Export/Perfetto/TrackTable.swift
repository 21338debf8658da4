/// The trace's processes and threads. Each device and each IOMMU is a process; ops with
/// no device (CPU reads and writes) belong to a "cpu" process. In each process, one
/// "events" thread carries the instants (faults, findings, IOTLB, flush-queue, cache and
/// bounce events) and "mappings N" threads carry mapping slices, as many lanes as the
/// process has mappings alive at once (`LaneAllocator`).
///
/// pids follow the journal's names (devices, then IOMMUs, then cpu); tids are handed out
/// as threads are first used and are unique across the trace.
struct TrackTable {
    /// A device or IOMMU as the `names` table has it.
    struct OwnerName {
        var id: Int64
        var kind: String
        var name: String
    }

    private struct Owner {
        let pid: Int
        let processName: String
        var eventsTid: Int?
        var lanes = LaneAllocator()
        var laneTids: [Int] = []
    }

    private var owners: [Owner] = []
    private var indexByNameID: [Int64: Int] = [:]
    private let cpuIndex: Int
    private var lastTid = 0

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

    /// A mapping lane of `nameID` free over [start, end). Calls come in order of start.
    mutating func laneTrack(of nameID: Int64?, start: Int64, end: Int64) -> Track {
        let index = ownerIndex(nameID)
        let lane = owners[index].lanes.lane(start: start, end: end)
        if lane == owners[index].laneTids.count { owners[index].laneTids.append(newTid()) }
        return Track(pid: owners[index].pid, tid: owners[index].laneTids[lane])
    }

    /// Mapping lanes in use, summed over every process.
    var laneCount: Int { owners.reduce(0) { $0 + $1.laneTids.count } }

    /// `M` events naming and ordering every process and every thread that was used.
    func metadataEvents() -> [TraceEvent] {
        var events: [TraceEvent] = []
        for (order, owner) in owners.enumerated() {
            let process = Track(pid: owner.pid, tid: 0)
            events.append(Self.metadata("process_name", process, "name", .text(owner.processName)))
            events.append(Self.metadata("process_sort_index", process, "sort_index", .integer(Int64(order))))
            if let tid = owner.eventsTid {
                events += Self.thread(Track(pid: owner.pid, tid: tid), name: "events", order: 0)
            }
            for (lane, tid) in owner.laneTids.enumerated() {
                events += Self.thread(Track(pid: owner.pid, tid: tid), name: "mappings \(lane + 1)", order: lane + 1)
            }
        }
        return events
    }

    private mutating func newTid() -> Int {
        lastTid += 1
        return lastTid
    }

    private func ownerIndex(_ nameID: Int64?) -> Int {
        nameID.flatMap { indexByNameID[$0] } ?? cpuIndex
    }

    private static func thread(_ track: Track, name: String, order: Int) -> [TraceEvent] {
        [metadata("thread_name", track, "name", .text(name)),
         metadata("thread_sort_index", track, "sort_index", .integer(Int64(order)))]
    }

    private static func metadata(_ name: String, _ track: Track, _ key: String, _ value: TraceArgs.Value) -> TraceEvent {
        var event = TraceEvent(name: name, phase: .metadata, timeNanoseconds: 0, track: track)
        event.args.add(key, value)
        return event
    }
}
