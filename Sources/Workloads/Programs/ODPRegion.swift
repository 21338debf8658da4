import DMASim

/// An on-demand-paging memory region (mm/hmm.c, drivers/infiniband/core/umem_odp.c):
///
///     alloc                 hmm_dma_map_alloc: try_alloc(phys, npages × PAGE_SIZE) once
///     (every link and unlink carries DMA_ATTR_REQUIRE_COHERENT, as hmm does)
///     then, many times, at random:
///       fault               cpu-write the page, link(off = idx × PAGE_SIZE, BIDIRECTIONAL),
///                           sync that page, then the device access that faulted
///       access              the device reads (claiming the page's data) or writes it
///       invalidate          mmu notifier: unlink the page, the CPU reads it back
///     teardown              unlink every page still linked, then dma_iova_free
///
/// Pages live in frames taken from a pool at fault time and given back once their last
/// step is out, so the mapping stays sparse and its memory bounded.
final class ODPRegion: RequestProgram {
    /// `hmm_dma_map_pfn()` and `hmm_dma_unmap_pfn()` (mm/hmm.c, 7.0+) pass
    /// `DMA_ATTR_REQUIRE_COHERENT` to `dma_iova_link`/`dma_iova_unlink`: ODP cannot work
    /// through swiotlb or cache maintenance. 6.16 has no such bit; its engine drops it.
    static let hmmAttributes: DMAAttributes = .requireCoherent

    struct LinkedPage {
        var index: Int
        var frame: Int
        var phys: UInt64
        var fillSeed: UInt64
    }

    enum Phase { case register, active, finished }

    let device: DeviceProfile
    let state: String
    let pageCount: Int
    @exclusivity(unchecked) var actionsLeft: Int
    @exclusivity(unchecked) var phase = Phase.register
    /// Faulted-in pages, and where each sits in `linked`.
    @exclusivity(unchecked) var linked: [LinkedPage] = []
    @exclusivity(unchecked) var positionOfPage: [Int: Int] = [:]
    /// Frames whose pages are unlinked, given back once the steps queued now are out.
    @exclusivity(unchecked) var framesToRelease: [Int] = []
    @exclusivity(unchecked) private var queued: [WorkloadStep] = []
    @exclusivity(unchecked) private var queuedIndex = 0

    init(device: DeviceProfile, _ context: TrafficContext) {
        self.device = device
        state = context.nextStateHandle()
        pageCount = ODPShape.pageCount(for: device, &context.random)
        actionsLeft = context.random.inRange(ODPShape.lifetimeActions)
    }

    var unit: UInt64 { device.unitBytes }

    /// Pages linked at once: sparse even in the smallest region (16 MiB of 64 KiB pages).
    var maxLinkedPages: Int { min(ODPShape.maxLinkedPages, pageCount / 4) }

    func nextStep(_ context: TrafficContext) -> WorkloadStep? {
        while queuedIndex == queued.count {
            queued.removeAll(keepingCapacity: true)
            queuedIndex = 0
            for frame in framesToRelease { context.pools.pages.release(frame) }
            framesToRelease.removeAll()
            guard plan(context) else { return nil }
        }
        queuedIndex += 1
        return queued[queuedIndex - 1]
    }

    /// Queues the steps of the next action; false once the region is gone.
    private func plan(_ context: TrafficContext) -> Bool {
        switch phase {
        case .register:
            queue(.alloc(AllocOp(state: state, device: device.name, phys: context.sharedBase, sizeBytes: UInt64(pageCount) * unit)))
            phase = .active
        case .active where actionsLeft == 0 || context.draining:
            tearDown(context)
            phase = .finished
        case .active:
            actionsLeft -= 1
            act(context)
        case .finished:
            return false
        }
        return true
    }

    func queue(_ step: WorkloadStep) { queued.append(step) }

    func queue(_ op: Op, injected: InjectionClass? = nil) {
        queued.append(WorkloadStep(op: op, claims: StepClaims.ok, injected: injected.map { MisuseInjection($0, handle: state) }))
    }

    /// Marks the last queued step as where `injection` was committed.
    func markLastQueued(_ injection: InjectionClass) {
        queued[queued.count - 1].injected = MisuseInjection(injection, handle: state)
    }
}
