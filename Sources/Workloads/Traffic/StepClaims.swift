import DMASim
import OpScript

/// The claims a correct driver attaches. Shared arrays, so a step costs no allocation
/// for them.
enum StepClaims {
    static let ok: [Claim] = [.ok]
    /// `dma_iova_try_alloc` returned false: no IOMMU DMA domain.
    static let fallback: [Claim] = [.fallback]
    /// A streaming map the device cannot reach (beyond its DMA mask, no swiotlb).
    static let mapFailed: [Claim] = [.mappingError]
    /// `dma_mapping_error()` on such a map.
    static let mappingErrorChecked: [Claim] = [.error(.ENOMEM)]

    /// A read of data written with `seed:N` from its first byte.
    static func read(_ seed: UInt64) -> [Claim] { [.ok, .bytes(.seed(seed))] }
}
