/// `enum dma_data_direction` (include/linux/dma-direction.h).
///
/// The raw value is the op-script spelling; `kernelValue` is the number the kernel uses.
public enum DMADirection: String, Sendable, CaseIterable, Hashable {
    /// `DMA_BIDIRECTIONAL`: the device may read and write.
    case bidirectional
    /// `DMA_TO_DEVICE`: the device reads.
    case toDevice = "to-device"
    /// `DMA_FROM_DEVICE`: the device writes.
    case fromDevice = "from-device"
    /// `DMA_NONE`: a bug to pass, which dma-debug reports.
    case none

    /// DMA_BIDIRECTIONAL = 0, DMA_TO_DEVICE = 1, DMA_FROM_DEVICE = 2, DMA_NONE = 3.
    public var kernelValue: Int {
        switch self {
        case .bidirectional: return 0
        case .toDevice: return 1
        case .fromDevice: return 2
        case .none: return 3
        }
    }

    /// Whether the device may read memory mapped in this direction.
    public var deviceMayRead: Bool { self == .bidirectional || self == .toDevice }
    /// Whether the device may write memory mapped in this direction.
    public var deviceMayWrite: Bool { self == .bidirectional || self == .fromDevice }
}
