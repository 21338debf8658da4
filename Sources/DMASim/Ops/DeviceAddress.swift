/// An address on the device side of the IOMMU. Symbolic forms name an IOVA state or a
/// streaming mapping and are resolved when the op runs — also after the state is freed,
/// which is how a stale access is written (`s1+0x200`, `m3`).
public enum DeviceAddress: Sendable, Hashable {
    /// A plain IOVA or DMA address.
    case absolute(UInt64)
    /// `state->addr + offset`.
    case state(String, offset: UInt64)
    /// The DMA address a streaming map returned, plus an offset.
    case mapping(String, offset: UInt64)

    /// The handle the address names, if it is symbolic.
    public var handle: String? {
        switch self {
        case .absolute: return nil
        case .state(let name, _), .mapping(let name, _): return name
        }
    }
}
