import DMASim

/// `ib_umem_odp_release` → `hmm_dma_map_free`: unlink what is left, then free the IOVA.
extension ODPRegion {
    func tearDown(_ context: TrafficContext) {
        let injection = context.injection(for: device) { injection in
            switch injection {
            case .doubleFree: return true
            case .leakedState, .freeWithLinkedRanges: return !linked.isEmpty
            default: return false
            }
        }
        if injection != .freeWithLinkedRanges {
            for page in linked {
                queue(.unlink(UnlinkOp(state: state, offset: offset(of: page.index), length: unit, direction: .bidirectional,
                                       attributes: Self.hmmAttributes)))
                queue(DataSteps.cpuVerify(phys: page.phys, length: unit, seed: page.fillSeed))
            }
        }
        if injection == .leakedState {
            markLastQueued(.leakedState)  // dma_iova_free is never called
        } else {
            queue(.free(FreeOp(state: state)), injected: injection == .freeWithLinkedRanges ? injection : nil)
        }
        if injection == .doubleFree { queue(.free(FreeOp(state: state)), injected: .doubleFree) }
        while let page = linked.last { forget(page) }
    }
}
