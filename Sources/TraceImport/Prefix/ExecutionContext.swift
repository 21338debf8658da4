/// What a CPU was running when it wrote a trace event: ftrace's flags column says it in
/// its third character (kernel/trace/trace_output.c `trace_print_lat_fmt`): `h` hardirq,
/// `H` a hardirq that interrupted a softirq, `s` softirq, `z`/`Z` NMI, `.` neither.
///
/// One task writes events in several contexts (an interrupt arrives while it runs, and the
/// event carries the interrupted task's name and pid), so the calls a task makes are its
/// events in one context: a `dma_map_phys` and the `iommu:map` inside it share both.
public enum ExecutionContext: UInt8, Sendable, Hashable {
    case task
    case softirq
    case hardirq
    case nmi

    /// The context a flags-column character names; nil for a character ftrace does not print there.
    init?(flagsCharacter character: UInt8) {
        switch character {
        case UInt8(ascii: "."): self = .task
        case UInt8(ascii: "s"): self = .softirq
        case UInt8(ascii: "h"), UInt8(ascii: "H"): self = .hardirq
        case UInt8(ascii: "z"), UInt8(ascii: "Z"): self = .nmi
        default: return nil
        }
    }
}
