import DMASim

/// One expectation about a line's outcome, written after `=>`. A claim may be as loose as
/// its author wants: `fault` holds for any fault, `fault permission` for that kind only.
///
/// Several claims are joined with `,` (or, for `iova=`, `digest=` and `bytes=`, a space
/// is enough: `ok iova=0x1000`). Every claim on a line must hold; see
/// `Claim.check(_:outcome:op:)`.
public enum Claim: Sendable, Hashable {
    /// The call succeeded and the checker found nothing (beyond findings the same line
    /// claims with `violation`).
    case ok
    /// The call or access went through (no errno, mapping error, fault or rejection),
    /// whatever the checker found: what a kernel trace shows of a call that returned, and
    /// of an access the IOMMU translated (an extension).
    case completed
    /// `dma_iova_try_alloc` returned false.
    case fallback
    /// The outcome's address (IOVA or DMA address) is exactly this.
    case iova(UInt64)
    /// The call returned this errno; nil: any errno, or a mapping error.
    case error(Errno?)
    /// `error mapping`: a streaming map returned `DMA_MAPPING_ERROR` (an extension).
    case mappingError
    /// The device access faulted; nil: with any fault kind.
    case fault(FaultKind?)
    /// The XXH64 of the bytes read is exactly this.
    case digest(UInt64)
    /// The checker reported this misuse class on the line; nil: any class.
    case violation(MisuseClass?)
    /// The read returned exactly what this fill writes over the read's length.
    case bytes(Fill)
    /// The op could not run at all (an extension: unknown handle, duplicate declaration).
    case rejected
    /// The call never returned: the kernel oopsed inside it (a bounce copy of memory
    /// outside the direct map).
    case oops

    /// Claims that describe one property of the outcome rather than its status; the
    /// printer attaches them to the claim before with a space (`ok iova=0x1000`).
    var isProperty: Bool {
        switch self {
        case .iova, .digest, .bytes: return true
        default: return false
        }
    }

    /// Claims about the data or address an op gave back, as opposed to its status or
    /// findings: a failed one is corruption.
    public var isDataClaim: Bool { isProperty }

    var isViolation: Bool {
        if case .violation = self { return true }
        return false
    }
}

extension Claim: CustomStringConvertible {
    /// The claim as a script writes it: `error EIO`, `fault`, `iova=0x7ffff000`.
    public var description: String {
        switch self {
        case .ok: return "ok"
        case .completed: return "completed"
        case .fallback: return "fallback"
        case .iova(let address): return "iova=" + ScriptNumber.hex(address)
        case .error(let errno): return errno.map { "error \($0.rawValue)" } ?? "error"
        case .mappingError: return "error mapping"
        case .fault(let kind): return kind.map { "fault \($0.rawValue)" } ?? "fault"
        case .digest(let digest): return "digest=" + ScriptNumber.hex(digest)
        case .violation(let misuse): return misuse.map { "violation \($0.rawValue)" } ?? "violation"
        case .bytes(let fill): return "bytes=" + FillSyntax.text(of: fill)
        case .rejected: return "rejected"
        case .oops: return "oops"
        }
    }

    /// A list of claims as the printer writes it: properties follow their status claim
    /// after a space, everything else is separated by `, `:
    /// `ok iova=0x1000, violation use-after-destroy`.
    public static func text(of claims: [Claim]) -> String {
        var text = ""
        for (index, claim) in claims.enumerated() {
            if index > 0 { text += claim.isProperty && !claims[index - 1].isViolation ? " " : ", " }
            text += claim.description
        }
        return text
    }
}
