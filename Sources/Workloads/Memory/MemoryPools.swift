/// The physical memory requests take their buffers from: 2 MiB buffer slots and pages in
/// the shared region (the first and second half of it), and 64 KiB frames of the peer
/// BAR. Sized from the devices' requests in flight so a request never waits for memory.
struct MemoryPools {
    /// A block request's payload, a peer transfer's system-memory part, or a 1 MiB share
    /// of a migration buffer, laid out with gaps inside one slot.
    var slots: FramePool
    /// Pages an ODP region faults in.
    var pages: FramePool
    /// Pieces of the peer device's BAR.
    var barFrames: FramePool

    static let slotBytes: UInt64 = 2 << 20
    static let barFrameBytes: UInt64 = 64 << 10

    init(topology: WorkloadTopology, random: inout WorkloadRandom) throws(WorkloadError) {
        let shared = topology.shared
        let half = shared.sizeBytes / 2
        let devices = topology.devices
        slots = try Self.pool("buffer slots", base: shared.base, bytes: half, frameBytes: Self.slotBytes,
                              count: devices.reduce(0) { $0 + $1.inFlight * $1.slotsPerRequest }, random: &random)
        pages = try Self.pool("ODP pages", base: shared.base + half, bytes: half,
                              frameBytes: devices.map(\.unitBytes).max() ?? 4096,
                              count: devices.reduce(0) { $0 + $1.inFlight * $1.odpPagesPerRegion }, random: &random)
        barFrames = try Self.pool("BAR frames", base: topology.bar?.base ?? 0, bytes: topology.bar?.sizeBytes ?? 0,
                                  frameBytes: Self.barFrameBytes,
                                  count: devices.reduce(0) { $0 + $1.inFlight * $1.barFramesPerRequest }, random: &random)
    }

    private static func pool(_ what: String, base: UInt64, bytes: UInt64, frameBytes: UInt64, count: Int,
                             random: inout WorkloadRandom) throws(WorkloadError) -> FramePool {
        guard let pool = FramePool(windowBase: base, windowBytes: bytes, frameBytes: frameBytes, count: count, random: &random) else {
            throw .invalidOption("the region is too small for \(count) \(what) of \(frameBytes) bytes")
        }
        return pool
    }
}
