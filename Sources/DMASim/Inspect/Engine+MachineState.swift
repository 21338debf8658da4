/// `dmajournal state`: the machine's DMA structures as values (`MachineState`), read
/// without changing anything — no IOTLB fill, no timer, no retirement.
extension Engine {
    /// The machine as it stands now (after the last op applied).
    public func machineState(_ request: MachineStateRequest = MachineStateRequest()) -> MachineState {
        MachineState(domains: inspectedDomains(request).map { $0.state(request, devices: deviceNames(of: $0)) },
                     swiotlb: swiotlbPool.map { $0.state(limit: request.limit) },
                     states: states.occupiedSlots.map { states[$0] }.sorted { $0.serial < $1.serial }.map(\.view),
                     mappings: mappings.occupiedSlots.map { mappings[$0] }.sorted { $0.serial < $1.serial }.map(\.view))
    }

    /// Every domain in IOMMU name order, then creation order; or the one of `request.device`.
    private func inspectedDomains(_ request: MachineStateRequest) -> [DMADomain] {
        if let name = request.device {
            return devices[name]?.domain.map { [$0] } ?? []
        }
        return domainsOfIOMMU.keys.sorted().flatMap { domainsOfIOMMU[$0]! }
    }

    /// The names of the devices behind `domain`, sorted.
    func deviceNames(of domain: DMADomain) -> [String] {
        devices.values.filter { $0.domain === domain }.map(\.spec.name).sorted()
    }
}

extension DMADomain {
    func state(_ request: MachineStateRequest, devices: [String]) -> DomainState {
        let pages = request.address.map { around in
            let views = pagesAround(around, around: request.around)
            return Limited(views, total: views.count, limit: views.count)
        } ?? Limited(pageRuns(limit: request.limit), total: pageTable.runCount, limit: request.limit)
        return DomainState(iommu: iommu.name, devices: devices, mode: mode, granuleBytes: granule.bytes, apertureBits: iommu.apertureBits,
                           presentGranules: pageTable.presentGranules,
                           walk: request.address.map(walk) ?? [],
                           pages: pages,
                           iotlb: Limited(iotlbEntries(limit: request.limit), total: iotlb.count, limit: request.limit), iotlbCount: iotlb.count,
                           flushQueues: flushQueueViews, flushStartCount: flushStartCount, flushFinishCount: flushFinishCount,
                           flushTimerCPU: flushTimerOn ? flushTimerCPU : nil,
                           rangeCaches: rangeCacheViews, allocatedRangeCount: allocator.nodeCount)
    }

    // MARK: page table

    /// The first `limit` runs of PTEs, in IOVA order.
    private func pageRuns(limit: Int) -> [PageView] {
        var views: [PageView] = []
        var cursor = pageTable.runs.first
        while let at = cursor, views.count < limit {
            let run = pageTable.runs[at]
            views.append(PageView(iova: granule.address(ofPfn: run.firstGranule), pageBytes: granule.address(ofPfn: run.pageGranules),
                                  count: run.granuleCount >> UInt64(run.pageShift), pte: PTEView(run.pte)))
            cursor = pageTable.runs.successor(at)
        }
        return views
    }

    /// The leaves from `around` granules below `address` to `around` above it: one line
    /// per leaf page (a block once), one per unmapped granule.
    private func pagesAround(_ address: UInt64, around: UInt64) -> [PageView] {
        let center = granule.pfn(address)
        let lastGranule = UInt64.max >> granule.shift
        var pfn = center >= around ? center - around : 0
        let end = lastGranule - center >= around ? center + around : lastGranule
        var views: [PageView] = []
        while pfn <= end {
            if let leaf = pageTable.leaf(pfn) {
                views.append(view(of: leaf))
                let next = leaf.firstGranule.addingReportingOverflow(leaf.pageGranules)
                if next.overflow { break }
                pfn = next.partialValue
            } else {
                views.append(PageView(iova: granule.address(ofPfn: pfn), pageBytes: granule.bytes, count: 1, pte: nil))
                if pfn == lastGranule { break }
                pfn += 1
            }
        }
        return views
    }

    func view(of leaf: PageLeaf) -> PageView {
        PageView(iova: granule.address(ofPfn: leaf.firstGranule), pageBytes: granule.address(ofPfn: leaf.pageGranules), count: 1,
                 pte: PTEView(leaf.pte))
    }

    // MARK: IOTLB

    /// Cached pages in IOVA order, each compared with the page table now.
    private func iotlbEntries(limit: Int) -> [IOTLBEntryView] {
        iotlb.cached.keys.sorted().prefix(limit).map { key in
            let entry = iotlb.cached[key]!
            let current = pageTable.entry(key.firstGranule)
            return IOTLBEntryView(iova: granule.address(ofPfn: key.firstGranule), pageBytes: granule.address(ofPfn: UInt64(1) << UInt64(key.pageShift)),
                                  cached: PTEView(entry.pte), current: current.isPresent ? PTEView(current) : nil,
                                  isStale: !current.translatesLike(entry.pte),
                                  filledAt: entry.provenance.filledAt >= 0 ? entry.provenance.filledAt : nil,
                                  staleSince: entry.provenance.staleSince)
        }
    }

    // MARK: flush queues and rcache

    private var flushQueueViews: [FlushQueueView] {
        flushQueues.enumerated().map { cpu, queue in
            FlushQueueView(cpu: singleQueue ? nil : cpu, capacity: queue.slots - 1, entries: queue.entries.map { entry in
                FlushQueueEntryView(iova: granule.address(ofPfn: entry.pfn), bytes: granule.address(ofPfn: entry.pageCount),
                                    counter: entry.counter, isFlushed: entry.counter < flushFinishCount)
            })
        }
    }

    /// Orders with anything cached, by order.
    private var rangeCacheViews: [RangeCacheView] {
        allocator.rangeCaches.enumerated().compactMap { order, cache in
            let cpus = cache.cpus.enumerated().compactMap { cpu, magazines -> CPUMagazinesView? in
                guard !magazines.loaded.isEmpty || !magazines.previous.isEmpty else { return nil }
                return CPUMagazinesView(cpu: cpu, loaded: magazines.loaded.pfns.map(granule.address(ofPfn:)),
                                        previous: magazines.previous.pfns.map(granule.address(ofPfn:)))
            }
            guard !cpus.isEmpty || !cache.depot.isEmpty else { return nil }
            return RangeCacheView(order: order, cpus: cpus, depot: cache.depot.map { $0.pfns.map(granule.address(ofPfn:)) })
        }
    }
}

extension PTEView {
    init(_ pte: PageTableEntry) { self.init(phys: pte.phys, prot: pte.prot, visible: pte.isVisible) }
}

extension IOVAStateRecord {
    var view: IOVAStateView {
        IOVAStateView(handle: handle, device: device, addr: addr, sizeBytes: sizeBytes, life: String(describing: life),
                      linkedBytes: linkedBytes, usesSwiotlb: usesSwiotlb)
    }
}

extension StreamingMappingRecord {
    var view: MappingView {
        MappingView(handle: handle, device: device, dmaAddress: dmaAddress, phys: phys, length: length, direction: direction,
                    life: String(describing: life), bounceAddress: bounceAddress)
    }
}
