/// `BUG_ON(!valid_dma_direction(dir))` (kernel/dma/mapping.c): `dma_map_phys()`,
/// `dma_unmap_phys()` and `__dma_sync_single_for_{cpu,device}()` stop the kernel on
/// `DMA_NONE` before they do anything else, so the call never returns and changes
/// nothing: a map leaves no mapping, an unmap leaves the mapping mapped. The two-step
/// calls have no such check (`dma_info_to_prot()` gives `DMA_NONE` no permission).
extension Engine {
    /// The oops for `function` called with `DMA_NONE` through `handle`.
    func bugOnInvalidDirection(_ function: String, handle: String) -> Outcome {
        var outcome = Outcome(status: .oops)
        outcome.findings.append(Finding(.invalidDirection, handle: handle,
            "\(function) with DMA_NONE: BUG_ON(!valid_dma_direction(dir)), the call never returns"))
        outcome.events.append(SideEvent(.kernelOops, address: 0, length: 0))
        outcome.warnings = Self.bugReport(file: "kernel/dma/mapping.c", function: function, callTrace: [function])
        return outcome
    }

    /// Whether `dma_sync_single_for_{cpu,device}()` reach their out-of-line half:
    /// `dma_dev_need_sync()` is `!dev->dma_skip_sync || IS_ENABLED(CONFIG_DMA_API_DEBUG)`
    /// (include/linux/dma-mapping.h); the inline wrapper returns before the `BUG_ON`
    /// otherwise.
    func syncReachesKernel(_ device: DeviceRuntime) -> Bool {
        !device.skipsSync || machine.dmaDebug
    }
}
