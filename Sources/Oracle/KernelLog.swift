/// What the guest printed, read from its serial console (oracle/run.sh's console.log): the
/// module's setup facts, each op's result and the kernel messages printed while it ran.
///
/// The module logs "dmaoracle: B LINE VERB" before an op and "dmaoracle: R LINE VERB
/// key=value ..." after it; every other dmesg line between the two belongs to that op
/// (WARN splats are folded into one message naming their site). A "B" with no "R" is an op
/// the kernel did not return from: an oops, when dmesg says so.
public struct KernelLog: Sendable, Equatable {
    /// `uname -r` as the boot banner says it ("7.3.4+deb13-amd64").
    public var kernelRelease: String?
    public var devices: [Int: GuestDevice] = [:]
    /// Extent index -> the guest physical address the module backed it with.
    public var extentPhys: [Int: UInt64] = [:]
    public var swiotlb: GuestSwiotlb?
    /// Results by script line number.
    public var results: [Int: KernelResult] = [:]
    /// "S error ..." lines (a setup step the module refused), and the guest's own complaints.
    public var setupErrors: [String] = []
    /// Whether the module reached "E done" (every op returned).
    public var finished = false
    /// Whether the console has the end-of-dmesg marker (the guest got that far).
    public var complete = false

    public init() {}
}

/// One edu as the guest set it up: what the model must be told to mirror it.
public struct GuestDevice: Sendable, Equatable {
    public var index: Int
    public var bdf: String
    public var domainType: String
    public var maskResult: Int
    public var apertureEnd: UInt64
    /// IOVA ranges the domain's allocator skips: the IOMMU's reserved regions (not the
    /// software MSI window, which dma-iommu manages itself) and the PCI host bridge's memory
    /// windows (iova_reserve_iommu_regions(), iova_reserve_pci_windows()).
    public var reserved: [ClosedRange<UInt64>] = []
    public var scratchDMA: UInt64?

    public init(index: Int, bdf: String, domainType: String, maskResult: Int, apertureEnd: UInt64) {
        self.index = index; self.bdf = bdf; self.domainType = domainType
        self.maskResult = maskResult; self.apertureEnd = apertureEnd
    }
}

public struct GuestSwiotlb: Sendable, Equatable {
    public var start: UInt64
    public var end: UInt64
    public var slabCount: UInt64
}

/// What one op did on the kernel.
public struct KernelResult: Sendable, Equatable {
    public var line: Int
    public var verb: String
    /// The "key=value" fields of its R line; empty when it never returned.
    public var fields: [String: String]
    /// Kernel messages printed while it ran.
    public var messages: [KernelMessage]
    /// Whether the R line came (the call returned).
    public var returned: Bool
    /// When it oopsed: the faulting function, then its callers ("memcpy_orig",
    /// "swiotlb_tbl_map_single", ..., "dma_iova_link", ...).
    public var oopsTrace: [String] = []
    var oopsTraceDone = false

    public init(line: Int, verb: String, fields: [String: String] = [:], messages: [KernelMessage] = [], returned: Bool = false) {
        self.line = line; self.verb = verb; self.fields = fields; self.messages = messages; self.returned = returned
    }

    public var oopsed: Bool { messages.contains { if case .oops = $0 { return true } else { return false } } }

    /// A numeric field ("0x..." or decimal, possibly negative).
    public func number(_ key: String) -> Int64? {
        guard let text = fields[key] else { return nil }
        if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16).map { Int64(bitPattern: $0) } }
        return Int64(text)
    }

    public func unsigned(_ key: String) -> UInt64? { number(key).map { UInt64(bitPattern: $0) } }
}

/// A kernel message, as far as the comparison needs it.
public enum KernelMessage: Sendable, Equatable {
    /// A WARN splat: its site ("kernel/dma/direct.c:718 dma_direct_map_phys") and the
    /// message printed above the WARNING line, if any (dev_WARN_ONCE, WARN(cond, fmt)).
    case warning(site: String, message: String?)
    /// A kernel oops ("BUG: ...", "Oops: ...") with its first line.
    case oops(String)
    /// Any other line (dev_warn, pr_err, ...), without its timestamp.
    case line(String)

    public var text: String {
        switch self {
        case .warning(let site, let message): return "WARNING: " + site + (message.map { " (\($0))" } ?? "")
        case .oops(let first): return first
        case .line(let text): return text
        }
    }
}
