/// A minimised reproducer: an op script that runs with `dmajournal run`, passes (its
/// `=>` claims describe what the engine does), and still shows the bug.
public struct Reproducer: Sendable {
    public var script: String
    /// Op lines in the script (comments not counted).
    public var opCount: Int
    /// The journal's ops up to and including the first bad one: what was minimised (a
    /// `machine` line the reproducer declares for `--with kernel=` is not one of them).
    public var prefixOpCount: Int
    /// The first bad op in the journal.
    public var firstBad: Int
    /// Candidate scripts run while shrinking.
    public var candidatesRun: Int
    /// Ctrl-C stopped the shrinking: this is the best found so far, not a minimal one.
    public var interrupted = false
}
