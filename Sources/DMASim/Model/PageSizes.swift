/// An IOMMU domain's `pgsize_bitmap` (include/linux/iommu.h): every page size its page
/// table can map, one bit per power of two — bit n set means PTEs of 2^n bytes. The
/// lowest bit is the granule (`min_pagesz` in `__iommu_map_domain_pgtbl()`); the others
/// are block (large-page) PTEs one level or more up the table.
///
/// What drivers advertise on Linux 7.3:
///
/// | IOMMU | pgsize_bitmap | where |
/// |---|---|---|
/// | Intel VT-d, second stage | 4K, plus 2M and 1G where `cap_super_page_val()` has them; 4K only with `intel_iommu=sp_off` | `intel_iommu_domain_alloc_second_stage()` |
/// | Intel VT-d, first stage | 4K\|2M, plus 1G with `cap_fl1gp_support()` | `intel_iommu_domain_alloc_first_stage()` |
/// | Arm SMMUv3 / SMMUv2 | 4K\|2M\|1G, 16K\|32M or 64K\|512M by the granule the SMMU supports | `arm_smmu_device_hw_probe()`, `arm_lpae_restrict_pgsizes()` |
/// | AMD-Vi v1 table | every power of two from 4K to 2^51 except 512G (`AMD_IOMMU_PGSIZES`); 4K\|2M\|1G with `amd_iommu=v2_pgsizes_only`, 4K with `nohugepages` | `amd_iommu_domain_alloc_paging_v1()` |
/// | AMD-Vi v2 table | 4K\|2M\|1G (x86-64 format) | drivers/iommu/amd/amd_iommu_types.h |
/// | virtio-iommu | the device's `page_size_mask` (QEMU: the host page mask, every size ≥ 4K) | `viommu_probe()` |
///
/// The default by granule is VT-d's and the SMMU's: the ARM LPAE / x86-64 block sizes
/// one and two levels up for 4K, one level up for 16K and 64K.
public enum PageSizes {
    /// The default bitmap for an IOMMU of `granuleBytes`.
    public static func defaultBitmap(granuleBytes: UInt64) -> UInt64 {
        switch granuleBytes {
        case 4096: return 4096 | 2 << 20 | 1 << 30
        case 16384: return 16384 | 32 << 20
        case 65536: return 65536 | 512 << 20
        default: return granuleBytes
        }
    }

    /// `iommu_pgsize(domain, iova, paddr, size, &count)` (drivers/iommu/iommu.c): the
    /// largest page size the bitmap allows that fits `sizeBytes` and that `iova` and
    /// `paddr` are both aligned to, and how many such pages to map before a larger size
    /// becomes possible. The caller has checked that `iova`, `paddr` and `sizeBytes` are
    /// granule aligned and `sizeBytes` is not 0, so a page size always exists.
    static func pageSize(bitmap: UInt64, iova: UInt64, paddr: UInt64, sizeBytes: UInt64) -> (pageBytes: UInt64, count: UInt64) {
        precondition(sizeBytes != 0, "iommu_pgsize of 0 bytes")
        let addressMerge = paddr | iova
        // "Page sizes supported by the hardware and small enough for @size"
        var candidates = bitmap & lowBits(through: fls(sizeBytes))
        // "Constrain the page sizes further based on the maximum alignment"
        if addressMerge != 0 { candidates &= lowBits(through: UInt64(addressMerge.trailingZeroBitCount)) }
        precondition(candidates != 0, "BUG_ON(!pgsizes): no page size fits")  // the caller's alignment check
        // "Pick the biggest page size remaining"
        let pageShift = fls(candidates)
        var size = sizeBytes
        // "Find the next biggest support page size, if it exists"
        let larger = bitmap & ~lowBits(through: pageShift)
        if larger != 0 {
            let nextBytes = UInt64(1) << UInt64(larger.trailingZeroBitCount)
            // "There's no point trying a bigger page size unless the virtual and physical
            // addresses are similarly offset within the larger page."
            if (iova ^ paddr) & (nextBytes - 1) == 0 {
                // "Calculate the offset to the next page size alignment boundary"
                let offset = nextBytes - (addressMerge & (nextBytes - 1))
                let (offsetEnd, overflow) = offset.addingReportingOverflow(nextBytes)
                if !overflow && offsetEnd <= size { size = offset }
            }
        }
        return (UInt64(1) << pageShift, size >> pageShift)
    }

    /// The sizes in a bitmap, smallest first.
    public static func sizes(in bitmap: UInt64) -> [UInt64] {
        (0..<64).compactMap { bit in bitmap & (UInt64(1) << UInt64(bit)) != 0 ? UInt64(1) << UInt64(bit) : nil }
    }

    /// `__fls()`: the index of the most significant set bit (`value` is not 0).
    private static func fls(_ value: UInt64) -> UInt64 { UInt64(63 - value.leadingZeroBitCount) }

    /// `GENMASK(high, 0)`.
    private static func lowBits(through high: UInt64) -> UInt64 {
        high >= 63 ? .max : (UInt64(1) << (high + 1)) - 1
    }
}
