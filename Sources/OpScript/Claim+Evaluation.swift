import DMASim

extension Claim {
    /// Whether this claim, standing alone, holds for `outcome`. `op` is the line's op: a
    /// `bytes=` claim needs its read length, and holds only for `cpu-read` and `dev-read`.
    public func holds(for outcome: Outcome, of op: Op) -> Bool {
        switch self {
        case .ok: return outcome.status == .ok && outcome.findings.isEmpty
        case .completed: return outcome.status == .ok
        case .fallback: return outcome.status == .fallback
        case .iova(let address): return outcome.address == address
        case .error(let errno): return Self.isError(outcome.status, matching: errno)
        case .mappingError: return outcome.status == .mappingError
        case .fault(let kind): return outcome.fault.map { kind == nil || $0.kind == kind } ?? false
        case .digest(let digest): return outcome.digest == digest
        case .violation(let misuse): return misuse.map(outcome.reports) ?? !outcome.findings.isEmpty
        case .bytes(let fill): return Self.readReturned(fill, outcome: outcome, op: op)
        case .rejected: if case .rejected = outcome.status { return true } else { return false }
        case .oops: return outcome.status == .oops
        }
    }

    /// The claims of one line that fail for its outcome; empty when the line passes.
    ///
    /// `ok` is read in the context of its line: findings that a `violation` claim on the
    /// same line names do not count against it. So `ok, violation use-after-destroy` holds
    /// for a stale write that landed, while `ok` alone would not.
    public static func check(_ claims: [Claim], outcome: Outcome, op: Op) -> [Claim] {
        var unclaimed = outcome
        unclaimed.findings.removeAll { finding in claims.contains { $0.names(finding.misuse) } }
        return claims.filter { claim in
            !claim.holds(for: claim == .ok ? unclaimed : outcome, of: op)
        }
    }

    /// Whether this is a `violation` claim covering `misuse` (a bare one covers all).
    private func names(_ misuse: MisuseClass) -> Bool {
        guard case .violation(let claimed) = self else { return false }
        return claimed == nil || claimed == misuse
    }

    /// `error` holds for any errno and for `DMA_MAPPING_ERROR`; `error E` for E only.
    private static func isError(_ status: OutcomeStatus, matching errno: Errno?) -> Bool {
        switch status {
        case .errno(let actual): return errno == nil || errno == actual
        case .mappingError: return errno == nil
        default: return false
        }
    }

    /// A read's digest equals that of `fill` over the read's length.
    private static func readReturned(_ fill: Fill, outcome: Outcome, op: Op) -> Bool {
        guard let digest = outcome.digest, let length = op.readLength else { return false }
        return digest == fill.digest(length: length)
    }
}

extension Op {
    /// How many bytes a `cpu-read` or `dev-read` reads; nil for other ops.
    var readLength: UInt64? {
        switch call {
        case .cpuRead(let read): return read.length
        case .deviceRead(let read): return read.length
        default: return nil
        }
    }
}
