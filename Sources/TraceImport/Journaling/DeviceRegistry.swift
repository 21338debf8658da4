import DMASim
import Journal

/// Every device an import names, and what the trace says about its IOVA space, so the
/// journal can declare them at the end (the views join ops to devices through these
/// declarations). Nothing the trace does not say is declared: DMA mask, coherence, bus
/// and the IOMMU's mode stay NULL.
///
/// Which IOVA space (`device_domains.domain`) each device gets:
/// - a device attached to a virtio-iommu domain: that domain's;
/// - a device whose own mappings the trace shows (dma:* events, dma-debug dumps, the
///   `dev=` form of iommu:map): its IOMMU group's when `add_device_to_group` named one,
///   else its own;
/// - any other device (one the trace shows only faulting, attaching …) shares the space
///   of the device-less `iommu:map` events when there are any: those are the only
///   mappings its faults can be checked against;
/// - otherwise its group's, or its own.
/// A device whose every map returned its physical address (dma-direct, or an identity
/// domain) is declared without an IOMMU: its space is the bus address space.
struct DeviceRegistry {
    static let iommuName = "iommu"
    /// The pseudo-device the device-less iommu:map/unmap events are journaled on.
    static let unattributed = "unattributed"

    struct Entry {
        var ownMappings = false
        var mapsWithPhys = 0
        var mapsAtPhys = 0
        var groupID: Int?
        var virtioSpace: String?
        /// A pseudo-device standing for an IOVA space (`unattributed`, a virtio-iommu domain).
        var spaceName: String?
    }

    private(set) var order: [String] = []
    private var entries: [String: Entry] = [:]

    mutating func note(_ device: String) {
        if entries[device] == nil {
            entries[device] = Entry()
            order.append(device)
        }
    }

    mutating func update(_ device: String, _ change: (inout Entry) -> Void) {
        note(device)
        // Invariant: `note` just made the entry if it was missing.
        change(&entries[device]!)
    }

    func entry(_ device: String) -> Entry? { entries[device] }

    /// A map on `device`: whether it is the device's own (not a shared space's), and for
    /// DMA API maps what it returned against the physical address it mapped.
    mutating func noteMap(_ device: String, address: UInt64?, phys: UInt64?, ownMapping: Bool, dmaAPI: Bool) {
        update(device) { entry in
            if ownMapping { entry.ownMappings = true }
            if dmaAPI, let address, let phys {
                entry.mapsWithPhys += 1
                if address == phys { entry.mapsAtPhys += 1 }
            }
        }
    }

    /// The device and IOMMU declarations, IOMMU first.
    func declarations() -> [ImportedOp] {
        let unattributedUsed = entries[Self.unattributed] != nil
        var specs: [DeviceSpec] = []
        for name in order {
            guard let entry = entries[name] else { continue }
            let direct = entry.mapsWithPhys > 0 && entry.mapsAtPhys == entry.mapsWithPhys
            specs.append(DeviceSpec(name: name, iommu: direct ? nil : Self.iommuName, group: group(entry, unattributedUsed)))
        }
        var ops: [ImportedOp] = []
        if specs.contains(where: { $0.iommu != nil }) {
            ops.append(ImportedOp(op: .iommu(IOMMUSpec(name: Self.iommuName)), outcome: .ok, unknown: .iommuDetails, provenance: nil))
        }
        ops += specs.map { ImportedOp(op: .device($0), outcome: .ok, unknown: .deviceDetails, provenance: nil) }
        return ops
    }

    private func group(_ entry: Entry, _ unattributedUsed: Bool) -> String? {
        if let space = entry.spaceName ?? entry.virtioSpace { return space }
        let ownGroup = entry.groupID.map { "group \($0)" }
        if entry.ownMappings { return ownGroup }
        return unattributedUsed ? Self.unattributed : ownGroup
    }
}
