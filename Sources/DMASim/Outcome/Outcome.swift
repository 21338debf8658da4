/// What an op returned and caused. Engine results are data: a simulated `-EIO` is a
/// `.errno(.EIO)` here, never a Swift `throw`.
public struct Outcome: Sendable, Hashable {
    /// What the call returned: ok, a fallback, an errno, a mapping error, a fault, a rejection, an oops.
    public var status: OutcomeStatus
    /// The IOVA `dma_iova_try_alloc` put in `state->addr`, the IOVA a link starts at, or
    /// the DMA address a streaming map returned.
    public var address: UInt64?
    /// XXH64 of the bytes a read returned.
    public var digest: UInt64?
    /// What a link or map put in the page table, one entry per contiguous range.
    public var ranges: [MappedRange]
    /// Physical ranges a device access actually hit (the bounce slot or the original).
    public var touched: [PhysRange]
    /// What it did besides, in order (`SideEvent`).
    public var events: [SideEvent]
    /// The checker's misuse findings on this op.
    public var findings: [Finding]
    /// Kernel log lines this call would print (WARN_ON, pr_err, dev_notice).
    public var warnings: [String]

    /// An outcome of these parts; `.ok` and nothing else by default.
    public init(
        status: OutcomeStatus = .ok, address: UInt64? = nil, digest: UInt64? = nil,
        ranges: [MappedRange] = [], touched: [PhysRange] = [], events: [SideEvent] = [],
        findings: [Finding] = [], warnings: [String] = []
    ) {
        self.status = status; self.address = address; self.digest = digest; self.ranges = ranges
        self.touched = touched; self.events = events; self.findings = findings; self.warnings = warnings
    }

    /// Success with nothing to report.
    public static let ok = Outcome()

    /// The fault, when the status is one.
    public var fault: Fault? {
        if case .fault(let fault) = status { return fault }
        return nil
    }

    /// Whether the checker reported `misuse` on this op.
    public func reports(_ misuse: MisuseClass) -> Bool {
        findings.contains { $0.misuse == misuse }
    }
}

/// What a call returned.
public enum OutcomeStatus: Sendable, Hashable {
    /// The call succeeded (or returned void).
    case ok
    /// `dma_iova_try_alloc` returned false: the caller must use the streaming fallback.
    case fallback
    /// The call returned `-errno`.
    case errno(Errno)
    /// A streaming map returned `DMA_MAPPING_ERROR`.
    case mappingError
    /// The device access faulted.
    case fault(Fault)
    /// The op could not run at all (unknown handle or device, a duplicate declaration):
    /// a fault of the script, not of the simulated kernel.
    case rejected(String)
    /// The call never returned: the kernel oopsed inside it (a page fault in a swiotlb
    /// copy through `phys_to_virt()` of memory outside the direct map). The calling task
    /// dies, the kernel runs on; what the call did before the fault stays done.
    case oops

    /// Short name for reports and the journal: ok, fallback, errno, mapping-error, fault,
    /// rejected, oops.
    public var name: String {
        switch self {
        case .ok: return "ok"
        case .fallback: return "fallback"
        case .errno: return "errno"
        case .mappingError: return "mapping-error"
        case .fault: return "fault"
        case .rejected: return "rejected"
        case .oops: return "oops"
        }
    }
}
