import DMASim

/// Writes the claims that describe an outcome exactly: its status, its address and
/// digest when it has them, then each misuse class found (once, in the order found).
///
///     ok iova=0xfffff000
///     error EIO
///     ok digest=0x9b3c…
///     ok, violation use-after-destroy
///     fault permission, violation direction-violation
///
/// The text parses back with the claim parser, and the claims hold for the outcome: it
/// is what `run` prints for a line and what a recorded reproducer asserts.
public struct OutcomeDescriber: Sendable {
    /// A describer; it keeps no state.
    public init() {}

    /// The claims that hold for `outcome` and say all of it: status, address, digest,
    /// then each misuse class found.
    public func claims(for outcome: Outcome) -> [Claim] {
        var claims = [statusClaim(outcome.status)]
        if let address = outcome.address { claims.append(.iova(address)) }
        if let digest = outcome.digest { claims.append(.digest(digest)) }
        return claims + misuseClasses(in: outcome).map { .violation($0) }
    }

    /// Those claims as script text (`ok iova=0xfffff000, violation …`).
    public func describe(_ outcome: Outcome) -> String {
        Claim.text(of: claims(for: outcome))
    }

    private func statusClaim(_ status: OutcomeStatus) -> Claim {
        switch status {
        case .ok: return .ok
        case .fallback: return .fallback
        case .errno(let errno): return .error(errno)
        case .mappingError: return .mappingError
        case .fault(let fault): return .fault(fault.kind)
        case .rejected: return .rejected
        case .oops: return .oops
        }
    }

    private func misuseClasses(in outcome: Outcome) -> [MisuseClass] {
        var seen: Set<MisuseClass> = []
        return outcome.findings.map(\.misuse).filter { seen.insert($0).inserted }
    }
}
