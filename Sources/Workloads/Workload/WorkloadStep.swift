import DMASim
import OpScript

/// One op of a workload, with what a correct driver expects of it.
public struct WorkloadStep: Sendable, Hashable {
    public var op: Op
    /// The expectations a correct driver holds: `ok` for calls, `fallback` where the
    /// topology rules out an IOVA, `bytes=seed:N` for reads of data written earlier. An
    /// injected step keeps the claims the driver believed, so misuse shows as a claim
    /// failure as well as a finding.
    public var claims: [Claim]
    /// Set on the step where an injected misuse was committed. For the journal and for
    /// tests that check detection; nothing that looks for bugs may read it.
    public var injected: MisuseInjection?

    public init(op: Op, claims: [Claim], injected: MisuseInjection? = nil) {
        self.op = op; self.claims = claims; self.injected = injected
    }

    /// The step as a script line, for `ScriptExecutor` and `ScriptPrinter`.
    public func scriptLine(number: Int) -> ScriptLine {
        ScriptLine(lineNumber: number, op: op, claims: claims)
    }
}
