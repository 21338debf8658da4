import DMASim
import OpScript

/// The guest memory that stands for the script's regions. Only what ops touch is backed:
/// each physical range a `link`, `map`, `cpu-write`, `cpu-read` or a dma-direct device's
/// absolute access names, widened to whole pages and merged with its neighbours, becomes
/// one extent: ordinary RAM (alloc_pages) for a `ram` region, RAM above `mem=` (no struct
/// page, memremap'ped) for a `shared` one. Offsets inside a page are kept, so every IOVA
/// the kernel derives from a physical address (`iova_offset()`) is the one the model does.
///
/// A `shared` extent that a dma-direct device maps beyond its DMA mask goes above 4 GiB
/// (the guest then gets 5 GiB, of which q35 puts 3 above 4 GiB, all above `mem=`), so that
/// dma_capable() refuses it as the model's mask check does; others stay below 1 GiB.
extension PlanBuilder {
    mutating func buildExtents() {
        var wanted: [String: [ClosedRange<UInt64>]] = [:]
        let high = pagesBeyondDirectMasks()
        for line in script.lines where modelRejected[line.lineNumber] == nil {
            for (phys, length) in physicalRanges(of: line.op) where length > 0 {
                guard let region = region(containing: phys, length: length) else {
                    memorySkips[line.lineNumber] = "[\(hex(phys)), +\(hex(length))) is outside every region: no guest memory stands for it"
                    continue
                }
                guard region.kind != .mmio else {
                    memorySkips[line.lineNumber] = "region \(region.name) is mmio: the guest has no peer device memory to stand for it"
                    continue
                }
                let (end, wraps) = phys.addingReportingOverflow(length - 1)
                guard !wraps else { continue }
                let first = phys & ~0xfff
                let last = end | 0xfff
                wanted[region.name, default: []].append(first...last)
            }
        }
        var lowCursor = OracleTranslator.hiddenBase
        var highCursor = OracleTranslator.highHiddenBase
        var ramTotal: UInt64 = 0
        for region in regions where wanted[region.name] != nil {
            for range in RangeMerging.merged(wanted[region.name] ?? []) {
                let size = range.upperBound - range.lowerBound + 1
                let backing: Extent.Backing
                if region.kind == .shared {
                    let goesHigh = high.contains { $0.overlaps(range) }
                    let base = ((goesHigh ? highCursor : lowCursor) + 0xffff) & ~0xffff
                    let limit = goesHigh ? OracleTranslator.highHiddenLimit : OracleTranslator.hiddenLimit
                    guard size <= limit - base else {
                        refuse(range, "needs more RAM above mem= than the guest has")
                        continue
                    }
                    backing = .hidden(guestPhys: base)
                    if goesHigh { highCursor = base + size; plan.guest.memory = "5G" } else { lowCursor = base + size }
                } else {
                    guard size <= OracleTranslator.ramExtentLimit, ramTotal + size <= OracleTranslator.ramBudget else {
                        refuse(range, "needs more than 4 MiB of contiguous RAM (alloc_pages' largest order)")
                        continue
                    }
                    backing = .ram
                    ramTotal += size
                }
                plan.extents.append(Extent(
                    index: plan.extents.count, region: region.name, scriptBase: range.lowerBound, size: size,
                    backing: backing))
            }
        }
    }

    /// Pages of `map` ranges that a dma-direct device's mask does not reach in the script.
    private func pagesBeyondDirectMasks() -> [ClosedRange<UInt64>] {
        script.lines.compactMap { line in
            guard case .map(let call) = line.op.call, let device = deviceByName[call.device], device.isDirect,
                  call.length > 0, call.phys.addingReportingOverflow(call.length - 1).overflow == false,
                  call.phys + (call.length - 1) > device.dmaMask else { return nil }
            return (call.phys & ~0xfff)...((call.phys + (call.length - 1)) | 0xfff)
        }
    }

    /// The physical ranges an op reads or writes (an `alloc`'s phys only sets the IOVA's
    /// offset: "@phys is only used to calculate the IOVA alignment", dma_iova_try_alloc()).
    func physicalRanges(of op: Op) -> [(UInt64, UInt64)] {
        switch op.call {
        case .link(let call): return [(call.phys, call.length)]
        case .map(let call): return [(call.phys, call.length)]
        case .cpuWrite(let call): return [(call.phys, call.length)]
        case .cpuRead(let call): return [(call.phys, call.length)]
        case .deviceWrite(let access): return directRange(access.device, access.address, access.length)
        case .deviceRead(let access): return directRange(access.device, access.address, access.length)
        default: return []
        }
    }

    /// A dma-direct device's absolute address is a physical address.
    private func directRange(_ device: String, _ address: DeviceAddress, _ length: UInt64) -> [(UInt64, UInt64)] {
        guard case .absolute(let phys) = address, deviceByName[device]?.isDirect == true else { return [] }
        return [(phys, length)]
    }

    /// The extent holding [phys, phys + length), if one does.
    func extent(holding phys: UInt64, length: UInt64) -> Extent? {
        plan.extents.first { $0.contains(phys, length: length) }
    }

    /// "E:OFF" for the module.
    func extentAddress(_ extent: Extent, _ phys: UInt64) -> String {
        "\(extent.index):\(hex(phys - extent.scriptBase))"
    }

    private mutating func refuse(_ range: ClosedRange<UInt64>, _ why: String) {
        for line in script.lines {
            for (phys, length) in physicalRanges(of: line.op) where length > 0 && range.contains(phys) {
                memorySkips[line.lineNumber] = why
            }
        }
    }
}
