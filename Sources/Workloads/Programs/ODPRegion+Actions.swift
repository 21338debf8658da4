import DMASim

/// Faults, accesses and invalidations of an ODP region's pages, and the misuse each can
/// commit.
extension ODPRegion {
    func act(_ context: TrafficContext) {
        if linked.isEmpty { return fault(context) }
        if linked.count >= maxLinkedPages { return invalidate(context) }
        let draw = context.random.fraction()
        if draw < ODPShape.faultShare { return fault(context) }
        if draw < ODPShape.faultShare + ODPShape.accessShare { return access(context) }
        invalidate(context)
    }

    func offset(of page: Int) -> UInt64 { UInt64(page) * unit }

    /// `hmm_dma_map_pfn`: link and sync one page, then the access that faulted is retried.
    private func fault(_ context: TrafficContext) {
        let index = unlinkedPage(&context.random)
        let injection = context.injection(for: device) { injection in
            switch injection {
            case .missingSync, .wrongDirection: return true
            case .partialLinkNotCleaned: return index > 0  // -EIO needs offset > 0
            case .overlappingLink: return !linked.isEmpty
            default: return false
            }
        }
        if injection == .overlappingLink { return relink(linked[context.injectionChoice(below: linked.count)]) }
        let frame = context.pools.pages.take(&context.random)!  // sized for every region's maximum
        let page = LinkedPage(index: index, frame: frame, phys: context.pools.pages.base(of: frame), fillSeed: context.nextFillSeed())
        queue(DataSteps.cpuFill(phys: page.phys, length: unit, seed: page.fillSeed))
        queueFaultLink(page, injection)
        if injection != .missingSync { queue(.sync(SyncOp(state: state, offset: offset(of: index), length: unit))) }
        let address = DeviceAddress.state(state, offset: offset(of: index))
        queue(injection == .wrongDirection
              ? DataSteps.deviceWrite(device.name, address, length: unit, seed: page.fillSeed)
              : DataSteps.deviceRead(device.name, address, length: unit, seed: page.fillSeed))
        positionOfPage[index] = linked.count
        linked.append(page)
    }

    /// The link of a fault: BIDIRECTIONAL as hmm does, or the misuse's version of it.
    private func queueFaultLink(_ page: LinkedPage, _ injection: InjectionClass?) {
        var link = LinkOp(state: state, offset: offset(of: page.index), phys: page.phys, length: unit, direction: .bidirectional,
                          attributes: Self.hmmAttributes)
        if injection == .wrongDirection { link.direction = .toDevice }
        if injection == .partialLinkNotCleaned { link.phys += 512 }  // not granule aligned: -EIO
        queue(.link(link), injected: injection)
    }

    /// A racing second fault links a present page again: -EADDRINUSE (-EEXIST on 6.16).
    private func relink(_ page: LinkedPage) {
        queue(.link(LinkOp(state: state, offset: offset(of: page.index), phys: page.phys, length: unit, direction: .bidirectional,
                           attributes: Self.hmmAttributes)),
              injected: .overlappingLink)
    }

    /// A page not faulted in; at most a quarter of a region is linked, so a few tries
    /// find one.
    private func unlinkedPage(_ random: inout WorkloadRandom) -> Int {
        while true {
            let index = random.below(pageCount)
            if positionOfPage[index] == nil { return index }
        }
    }

    /// The device reads a linked page (claiming its data) or overwrites it.
    private func access(_ context: TrafficContext) {
        let position = context.random.below(linked.count)
        let address = DeviceAddress.state(state, offset: offset(of: linked[position].index))
        if context.random.chance(0.5) {
            queue(DataSteps.deviceRead(device.name, address, length: unit, seed: linked[position].fillSeed))
        } else {
            linked[position].fillSeed = context.nextFillSeed()
            queue(DataSteps.deviceWrite(device.name, address, length: unit, seed: linked[position].fillSeed))
        }
    }

    /// `hmm_dma_unmap_pfn` from an mmu notifier: unlink, then the CPU sees the page again.
    private func invalidate(_ context: TrafficContext) {
        let page = linked[context.random.below(linked.count)]
        let injection = context.injection(for: device) { $0 == .useAfterUnlink || $0 == .skippedCacheSync }
        queue(.unlink(UnlinkOp(state: state, offset: offset(of: page.index), length: unit, direction: .bidirectional,
                               attributes: Self.hmmAttributes.union(injection == .skippedCacheSync ? .skipCPUSync : []))),
              injected: injection == .skippedCacheSync ? injection : nil)
        queue(DataSteps.cpuVerify(phys: page.phys, length: unit, seed: page.fillSeed))
        if injection == .useAfterUnlink {
            queue(.deviceRead(DeviceReadOp(device: device.name, address: .state(state, offset: offset(of: page.index)), length: unit)),
                  injected: .useAfterUnlink)
        }
        forget(page)
    }

    /// Drops `page` from the linked set; its frame goes back after this action's steps.
    func forget(_ page: LinkedPage) {
        let position = positionOfPage.removeValue(forKey: page.index)!
        let last = linked.removeLast()
        if position < linked.count {
            linked[position] = last
            positionOfPage[last.index] = position
        }
        framesToRelease.append(page.frame)
    }
}
