import DMASim
import OpScript
import Pipeline

/// The reproducer as its ops run (a `LineSink`): each op with the claims its outcome has
/// now, so the script checks itself; for `mismatch`, the recorded expectation that fails
/// is kept as a comment above its op.
struct ReproducerText: LineSink {
    let engine: Engine
    let predicate: BisectPredicate
    /// A pool the overrides boot with on a journal that declares none is written out,
    /// where the kernel placed it, before the first call, so the script checks itself.
    var declaresBootPool: Bool
    private(set) var text: String
    private var printer = ScriptLineWriter()

    init(header: String, engine: Engine, predicate: BisectPredicate, declaresBootPool: Bool) {
        text = header; self.engine = engine; self.predicate = predicate; self.declaresBootPool = declaresBootPool
    }

    mutating func take(_ result: ScriptExecutor.LineResult) {
        let op = result.line.op
        if predicate == .mismatch, !result.failedClaims.isEmpty {
            text += "# seq \(result.line.lineNumber) was recorded expecting: => \(Claim.text(of: result.line.claims))\n"
        }
        if declaresBootPool, !op.kind.isTopology {
            declaresBootPool = false
            if let pool = engine.bootedSwiotlb { text += printer.line(.swiotlb(pool), claims: []) + "\n" }
        }
        text += printer.line(op, claims: OutcomeDescriber().claims(for: result.outcome)) + "\n"
    }
}
