/// The simulator: applies one op at a time and says what happened.
///
///     Op ──▶ Engine.apply(op) ──▶ Outcome ──▶ sinks (journal, script printer, checker …)
///                │
///                ├─ topology   region / iommu / device / swiotlb     Engine+Topology
///                ├─ two-step   alloc / link / sync                   Engine+TwoStep
///                │             unlink / destroy / free               Engine+Teardown
///                │             swiotlb head/middle/tail split        Engine+BounceLink
///                ├─ streaming  map / unmap / syncs / mapping-error   Engine+Streaming
///                │             IOMMU, dma-direct, dma-debug          Engine+StreamingIOMMU/Direct, +DMADebug
///                ├─ bounce     swiotlb slots and copies              Engine+Swiotlb, +SwiotlbMap
///                ├─ data       cpu-read/write                        Engine+CPUAccess, +Ownership
///                │             dev-read/write through IOTLB/PTEs     Engine+DeviceAccess
///                │             through or past the CPU cache         Engine+DataPath, +CacheMaintenance
///                ├─ policy     flush / detach / checkpoint / verify  Engine+Policy
///                ├─ verify     differing runs → findings with writers Engine+Verify
///                └─ time       machine / advance, the clock, timers  Engine+Time, +Timers
///
/// Before the call runs, `apply` checks the op's CPU against the machine and moves the
/// clock to the op's `time`, firing the kernel timers due by then (their effects lead the
/// op's outcome). The clock moves only with ops' `time` and `advance`.
///
/// The engine is deterministic and pure: no wall clock, no randomness, no I/O, and no
/// iteration over hashed collections where order could reach an outcome. The same ops
/// give the same outcomes, bit for bit; replay, bisect and minimisation stand on that.
///
/// Kernel-level failures (-EIO, a fault, try_alloc returning false) are data in the
/// `Outcome`. Ops that cannot run at all (an unknown handle) come back `.rejected`.
public final class Engine {
    let memory = PhysicalMemory()
    @exclusivity(unchecked) var iommus: [String: IOMMUSpec] = [:]
    /// Domains per IOMMU in creation order, so a flush walks them deterministically.
    @exclusivity(unchecked) var domainsOfIOMMU: [String: [DMADomain]] = [:]
    @exclusivity(unchecked) var domainOfGroup: [String: DMADomain] = [:]
    @exclusivity(unchecked) var devices: [String: DeviceRuntime] = [:]
    @exclusivity(unchecked) var swiotlb: SwiotlbSpec?
    /// The bounce pool, once `swiotlb` is declared (`is_swiotlb_active()`).
    @exclusivity(unchecked) var swiotlbPool: SwiotlbPool?
    /// A pool asked for from outside the ops (`replay --with swiotlb-size=` on a journal
    /// with no `swiotlb` line), made at boot in place of the kernel's default (Engine+Boot).
    /// Not part of the state: only a fresh engine reads it, when it boots.
    @exclusivity(unchecked) public var bootSwiotlb: SwiotlbSpec?
    /// The CPU cache model, once a non-coherent device is declared.
    @exclusivity(unchecked) var cache: CPUCache?

    /// The IOVA states and streaming mappings ops name by handle: full records of live
    /// ones and of ended ones something still names, each ended handle's epitaph
    /// (HandleTable; Engine+Retirement decides when a record goes).
    let states = HandleTable<IOVAStateRecord, IOVAStateEpitaph>()
    let mappings = HandleTable<StreamingMappingRecord, MappingEpitaph>()
    /// Records the current op ended or let go of: retired, if nothing names them, after it.
    @exclusivity(unchecked) var retirementCandidates: [IOVAOwner] = []
    @exclusivity(unchecked) var checkpointNames: Set<String> = []
    /// Checker: the physical bytes devices own now (streaming mappings, and two-step
    /// links where a device needs syncs).
    @exclusivity(unchecked) var ownership = OwnershipMap()
    /// dma-debug's `dma_active_cacheline` tree: first cachelines of live mappings.
    @exclusivity(unchecked) var activeCachelines = ActiveCachelines()
    /// dma-debug's hash of streaming entries, by device and DMA address, each bucket in
    /// insertion order (record slots). Rebuilt from the records when a state is decoded.
    @exclusivity(unchecked) var dmaDebugEntries: [DMADebugKey: [Int]] = [:]

    /// The machine (`machine` op, or the defaults): CPUs, HZ, kernel version, arch.
    public internal(set) var machine = MachineSpec() { didSet { context.onlineCPUs = machine.cpuCount } }
    /// Whether a `machine` op ran: it may run once, before any other topology.
    @exclusivity(unchecked) var machineDeclared = false
    /// Nanoseconds since boot: the latest op `time` or `advance` reached. Starts at 0.
    @exclusivity(unchecked) public internal(set) var clock: UInt64 = 0 { didSet { context.clock = clock } }
    /// The CPU the current (or last) op ran on.
    public internal(set) var currentCPU = 0 { didSet { context.cpu = currentCPU } }
    /// Where the current call runs and the timers it asks for, shared with the DMA domains.
    let context = KernelRunContext()
    /// Armed kernel timers in firing order (Engine+Timers).
    @exclusivity(unchecked) var timers = TimerQueue()
    /// The kernel whose rules apply where 6.16 and 7.3 differ (Model/KernelRules).
    var kernelRules: KernelRules { KernelRules(machine) }
    /// Whether boot is over: the first op that is not a declaration ran (Engine+Boot).
    @exclusivity(unchecked) var booted = false
    /// The `dev_warn_once()` call sites that have printed (Engine+WarnOnce).
    @exclusivity(unchecked) var warnedOnce: Set<String> = []

    /// Ops applied so far.
    @exclusivity(unchecked) public internal(set) var appliedCount = 0
    /// Faults and findings so far.
    @exclusivity(unchecked) public internal(set) var tally = OutcomeTally()

    /// An engine with the default machine and nothing declared.
    public init() {}

    /// An engine on `machine` from the start: what a `machine` op would declare, for a
    /// replay on another machine (`--with kernel=6.16`) of ops that declare none.
    public convenience init(machine: MachineSpec) {
        self.init()
        self.machine = machine
    }

    /// Applies one op.
    public func apply(_ op: Op) -> Outcome {
        memory.lastWriters?.begin(op, sequence: appliedCount)
        context.sequence = appliedCount
        appliedCount += 1
        let outcome = runInTime(op, call: dispatch)
        armRequestedTimers()
        if !retirementCandidates.isEmpty { retireUnreachableRecords() }
        if outcome.fault != nil || !outcome.findings.isEmpty { tally.count(outcome) }
        return outcome
    }

    func dispatch(_ call: Op.Call) -> Outcome {
        guard booted || call.kind.isTopology else {
            var boot = Outcome()
            finishBoot(into: &boot)
            var outcome = dispatch(call)
            outcome.prepend(boot)
            return outcome
        }
        switch call.recognizing(kernelRules.knownAttributes) {
        case .machine(let spec): return declareMachine(spec)
        case .region(let spec): return declareRegion(spec)
        case .iommu(let spec): return declareIOMMU(spec)
        case .device(let spec): return declareDevice(spec)
        case .swiotlb(let spec): return declareSwiotlb(spec)
        case .alloc(let call): return tryAlloc(call)
        case .link(let call): return link(call)
        case .sync(let call): return sync(call)
        case .unlink(let call): return unlink(call)
        case .destroy(let call): return destroy(call)
        case .free(let call): return free(call)
        case .map(let call): return map(call)
        case .unmap(let call): return unmap(call)
        case .syncForCPU(let call): return syncSingle(call, forDevice: false)
        case .syncForDevice(let call): return syncSingle(call, forDevice: true)
        case .mappingError(let call): return checkMappingError(call)
        case .cpuWrite(let access): return cpuWrite(access)
        case .cpuRead(let access): return cpuRead(access)
        case .deviceWrite(let access): return deviceAccess(access.device, access.address, access.length, write: access.fill)
        case .deviceRead(let access): return deviceAccess(access.device, access.address, access.length, write: nil)
        case .flush(let call): return flush(call)
        case .detach(let call): return detach(call)
        case .checkpoint(let call): return checkpoint(call)
        case .verify(let call): return verify(call)
        case .advance(let call): return advance(call)
        }
    }

    /// Applies ops in order.
    public func apply(_ ops: [Op]) -> [Outcome] { ops.map { apply($0) } }
}

extension Outcome {
    static func rejected(_ reason: String) -> Outcome { Outcome(status: .rejected(reason)) }
}
