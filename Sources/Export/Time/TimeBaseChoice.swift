import Journal

/// Which time an export puts ops at (`--time`): the kernel's clock where the journal
/// has it, or op order.
public enum TimeBaseChoice: String, Sendable, CaseIterable {
    /// The kernel's clock when any op carries a time (or an `advance`), else op order.
    case automatic = "auto"
    /// The kernel's clock; a journal without times is refused.
    case kernel
    /// Op order (1 op = 1 ns) even when ops carry times.
    case ops

    /// The time base for the journal `runner` reads.
    func timeBase(for runner: QueryRunner) throws(ExportError) -> any TimeBase {
        switch self {
        case .ops: return SequenceTimeBase()
        case .automatic: return try KernelClockTimeBase.loading(runner) ?? SequenceTimeBase()
        case .kernel:
            guard let clock = try KernelClockTimeBase.loading(runner) else { throw .noKernelTime(path: runner.path) }
            return clock
        }
    }
}
