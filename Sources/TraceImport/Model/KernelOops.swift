/// A kernel oops in the log: `BUG: unable to handle page fault for address: …` and the
/// report `__die()` prints after it (arch/x86/mm/fault.c `show_fault_oops()`,
/// arch/x86/kernel/dumpstack.c). The task that oopsed dies inside the call: the call
/// never returns, so a two-step call's entry probe has no `_ret` (and `oops_enter()`
/// calls `tracing_off()`, so nothing later is traced either).
public struct KernelOops: Sendable, Hashable {
    /// The report's first line.
    public var firstLine: String
    /// The task that oopsed (`CPU: n UID: u PID: p Comm: c`), when the report says.
    public var pid: Int?
    /// The faulting function (`RIP:`) then its callers, innermost first, without the
    /// unreliable `?` entries and offsets: `memcpy_orig`, `swiotlb_tbl_map_single`, …
    public var callTrace: [String] = []

    public init(firstLine: String) { self.firstLine = firstLine }

    /// The oops of a bounce copy: swiotlb copying a buffer outside the direct map into its
    /// slot through `phys_to_virt()` (`swiotlb_tbl_map_single()` → `swiotlb_bounce()`).
    public var isBounceCopy: Bool { callTrace.contains("swiotlb_tbl_map_single") }

    /// Whether the oops happened inside `function` (a DMA API entry point).
    public func interrupted(_ function: String) -> Bool { callTrace.contains(function) }

    /// The chain as docs and notes print it.
    public var chainText: String { callTrace.joined(separator: " <- ") }
}
