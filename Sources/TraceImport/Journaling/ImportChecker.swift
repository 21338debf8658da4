import DMASim

/// The checks an imported stream allows: where the trace shows both the map and the later
/// call, the rules dma-debug applies (kernel/dma/debug.c `check_unmap`, `check_sync`),
/// and a fault or access on an IOVA an earlier unmap removed. Each finding uses the
/// checker's class name (`MisuseClass`) and says what in the trace it rests on.
enum ImportChecker {
    /// An unmap of a mapping the trace showed: `check_unmap`'s size and direction rules.
    static func unmapFindings(_ mapping: AddressSpace.LiveRange, size: UInt64?, direction: DMADirection?, naming: String) -> [Finding] {
        var findings: [Finding] = []
        if let size, let mapped = mapping.mappedSize, size != mapped {
            findings.append(Finding(.unmapSizeMismatch, handle: mapping.handle,
                                    "\(naming) of \(hex(mapping.range.lowerBound)) with size \(size), mapped with size \(mapped) at seq \(mapping.seq)"))
        }
        if let direction, let mapped = mapping.direction, direction != mapped {
            findings.append(Finding(.unmapDirectionMismatch, handle: mapping.handle,
                                    "\(naming) of \(hex(mapping.range.lowerBound)) with direction \(direction.rawValue), mapped \(mapped.rawValue) at seq \(mapping.seq)"))
        }
        return findings
    }

    /// An unmap that found nothing mapped at its address.
    static func unmapNotMapped(handle: String, address: UInt64, device: String, naming: String, unmapped: AddressSpace.DeadRange?) -> Finding {
        if let unmapped {
            return Finding(.unmapNotMapped, handle: handle,
                           "\(naming) of \(hex(address)) on \(device): already unmapped by \(unmapped.naming) at seq \(unmapped.seq)")
        }
        return Finding(.unmapNotMapped, handle: handle,
                       "\(naming) of \(hex(address)) on \(device): no map of it earlier in the imported trace (it may predate the trace)")
    }

    /// `check_sync` on a mapping the trace showed.
    static func syncFindings(_ mapping: AddressSpace.LiveRange, address: UInt64, size: UInt64?, direction: DMADirection?,
                             forCPU: Bool?, naming: String) -> [Finding] {
        var findings: [Finding] = []
        if let size, address.adding(length: size) > mapping.range.upperBound {
            findings.append(Finding(.syncOutOfRange, handle: mapping.handle,
                                    "\(naming) of \(hex(address))+\(size) runs past the mapping \(hex(mapping.range.lowerBound))+\(mapping.range.upperBound - mapping.range.lowerBound)"))
        }
        guard let direction, let mapped = mapping.direction, mapped != .bidirectional else { return findings }
        if direction != mapped {
            findings.append(Finding(.syncDirectionMismatch, handle: mapping.handle,
                                    "\(naming) with direction \(direction.rawValue) of a mapping made \(mapped.rawValue)"))
        }
        if forCPU == true, mapped != .fromDevice, direction != .toDevice {
            findings.append(Finding(.syncReadOnlyForCPU, handle: mapping.handle,
                                    "\(naming) syncs device read-only memory (mapped \(mapped.rawValue)) for the CPU"))
        }
        if forCPU == false, mapped != .toDevice, direction != .fromDevice {
            findings.append(Finding(.syncWriteOnlyForDevice, handle: mapping.handle,
                                    "\(naming) syncs device write-only memory (mapped \(mapped.rawValue)) to the device"))
        }
        return findings
    }

    /// A sync of an address the trace saw unmapped and not mapped again.
    static func syncAfterUnmap(_ unmapped: AddressSpace.DeadRange, address: UInt64, naming: String) -> Finding {
        Finding(.syncNotMapped, handle: unmapped.handle,
                "\(naming) of \(hex(address)) after \(unmapped.naming) unmapped it at seq \(unmapped.seq)")
    }

    /// A device access against the direction of the mapping that covers it: a write to a
    /// TO_DEVICE buffer, a read of a FROM_DEVICE one (the IOMMU's permission fault).
    static func directionViolation(_ mapping: AddressSpace.LiveRange, isWrite: Bool, address: UInt64, device: String) -> Finding? {
        guard let direction = mapping.direction, isWrite ? !direction.deviceMayWrite : !direction.deviceMayRead else { return nil }
        return Finding(.directionViolation, handle: mapping.handle,
                       "device \(isWrite ? "write" : "read") at \(hex(address)) on \(device) into \(mapping.handle), mapped \(direction.rawValue) at seq \(mapping.seq)")
    }

    /// A device fault or access on an IOVA an earlier unmap removed.
    static func useAfterUnmap(_ unmapped: AddressSpace.DeadRange, address: UInt64, device: String, what: String) -> Finding {
        Finding(.useAfterUnmap, handle: unmapped.handle,
                "\(what) at \(hex(address)) on \(device) after \(unmapped.naming) unmapped it at seq \(unmapped.seq)")
    }

    static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}
