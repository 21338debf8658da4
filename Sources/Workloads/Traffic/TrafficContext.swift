/// What every request of a stream shares while it generates: the traffic generator, the
/// injection planner, the memory pools and the counters that name handles and fills.
final class TrafficContext {
    @exclusivity(unchecked) var random: WorkloadRandom
    @exclusivity(unchecked) var planner: InjectionPlanner
    @exclusivity(unchecked) var pools: MemoryPools
    /// The shared region's base: `phys` for ODP regions' try_alloc.
    let sharedBase: UInt64
    /// Steps handed out so far, which is the number of the next one.
    @exclusivity(unchecked) var emitted = 0
    /// Set once the op budget is spent: long-lived requests start their teardown.
    @exclusivity(unchecked) var draining = false
    @exclusivity(unchecked) private var lastFillSeed: UInt64 = 0
    @exclusivity(unchecked) private var lastState = 0
    @exclusivity(unchecked) private var lastMapping = 0

    init(options: WorkloadOptions, pools: MemoryPools, sharedBase: UInt64) {
        random = WorkloadRandom(seed: options.seed, stream: RandomStream.traffic)
        planner = InjectionPlanner(specs: options.injections, seed: options.seed)
        self.pools = pools
        self.sharedBase = sharedBase
    }

    /// A fill seed no earlier write used, so stale data can never pass for fresh.
    func nextFillSeed() -> UInt64 {
        lastFillSeed += 1
        return lastFillSeed
    }

    /// A fresh IOVA state handle: `s1`, `s2`, … (never reused, so a late access names
    /// the state it meant).
    func nextStateHandle() -> String {
        lastState += 1
        return "s" + String(lastState)
    }

    /// A fresh streaming mapping handle: `m1`, `m2`, …
    func nextMappingHandle() -> String {
        lastMapping += 1
        return "m" + String(lastMapping)
    }

    /// Whether the request about to start on `device` commits an injected misuse.
    func injection(for device: DeviceProfile, possible: (InjectionClass) -> Bool) -> InjectionClass? {
        planner.decide(at: emitted, on: device, possible: possible)
    }

    /// A choice an injected misuse makes (which link to get wrong), from the planner's
    /// generator: a run with injections makes the same traffic as one without up to the
    /// marked step.
    func injectionChoice(below bound: Int) -> Int { planner.choose(below: bound) }
}
