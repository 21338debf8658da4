import DMASim
import OpScript

/// Puts each line's kernel result beside the model's outcome and names what differs.
///
/// Compared: the status (ok, fallback, errno, mapping error, fault with its direction and
/// page, oops), the IOVA or DMA address, the digest of what a read returned, what memory
/// holds after every op that can change it (XXH64 per extent), and the kernel log lines the
/// call printed. Not compared: the checker's findings (the kernel has no checker: Debian's
/// 7.3.4 is built without CONFIG_DMA_API_DEBUG) and a fault's kind: VT-d reports a missing
/// PTE and a missing permission bit alike ("PTE Write access is not set", reason 5; 6 for
/// reads), since its second-level PTEs have no present bit apart from R and W.
///
/// Once memory differs, later reads of it and later memory reports differ too: those lines
/// are marked as following from the first one, not counted as new disagreements.
public struct OracleComparer {
    public let plan: OraclePlan
    public let log: KernelLog
    public let model: [Int: ModelSide.LineOutcome]

    public init(plan: OraclePlan, log: KernelLog, model: [Int: ModelSide.LineOutcome]) {
        self.plan = plan; self.log = log; self.model = model
    }

    /// What the comparison carries from line to line.
    struct Tracking {
        /// The last digests each side reported, per extent (all zero at the start).
        var kernelMemory: [Int: UInt64]
        var modelMemory: [Int: UInt64]
        /// Extent -> the line where the two sides' memory first differed.
        var divergedSince: [Int: Int] = [:]
        var checkpoints: [String: [Int: UInt64]] = [:]
        var messages: MessageMatcher
        var stoppedAt: String?
    }

    public func compare(fileName: String) -> OracleComparison {
        let zero = Dictionary(uniqueKeysWithValues: plan.extents.map { ($0.index, Fill.zero.digest(length: $0.size)) })
        var tracking = Tracking(kernelMemory: zero, modelMemory: zero, messages: MessageMatcher(plan: plan, scriptAddress: scriptAddress))
        var rows: [LineComparison] = []
        for planned in plan.lines {
            switch planned.action {
            case .topology:
                continue
            case .skipped(let why):
                rows.append(LineComparison(line: planned.line, kernel: "-", model: "-", verdict: .skipped(why), details: []))
            case .command:
                rows.append(compare(planned.line, &tracking))
            }
        }
        return OracleComparison(fileName: fileName, lines: rows, notes: plan.notes)
    }

    private func compare(_ line: ScriptLine, _ tracking: inout Tracking) -> LineComparison {
        let modelLine = model[line.lineNumber]
        guard let result = log.results[line.lineNumber], tracking.stoppedAt == nil else {
            let why = tracking.stoppedAt ?? (log.complete ? "the module did not reach it" : "the guest stopped before it")
            return LineComparison(
                line: line, kernel: "-", model: modelLine.map { describe($0.outcome) } ?? "-", verdict: .notRun(why), details: [])
        }
        let kernel = KernelOutcome(result, directAddress: scriptAddress)
        if case .oops = kernel.status { tracking.stoppedAt = "the kernel oopsed at line \(line.lineNumber)" }
        if case .inexpressible(let why) = kernel.status {
            return LineComparison(line: line, kernel: "-", model: modelLine.map { describe($0.outcome) } ?? "-", verdict: .skipped(why), details: [])
        }
        guard let modelLine else {
            return LineComparison(line: line, kernel: describe(kernel), model: "-", verdict: .differ(["model did not run it"]), details: [])
        }
        var check = LineCheck()
        checkStatus(line, kernel, modelLine.outcome, tracking, &check)
        if let k = kernel.address, let m = modelLine.outcome.address, k != m { check.differ("address") }
        if let k = kernel.digest, let m = modelLine.outcome.digest, k != m {
            if let since = readsDivergedMemory(line.op, tracking) { check.follows(since) } else { check.differ("digest") }
        }
        checkMemory(line, kernel, modelLine, &tracking, &check)
        checkVerify(line.op, kernel, modelLine.outcome, &tracking, &check)
        let unmatched = tracking.messages.match(kernel: result.messages, model: modelLine.outcome.warnings, oopsTrace: result.oopsTrace, notes: &check.details)
        if !unmatched.isEmpty { check.differ("messages"); check.details += unmatched }
        check.details += result.messages.map { "kernel: " + $0.text }
        check.details += modelLine.outcome.findings.map { "model finding: \($0.misuse.rawValue): \($0.message)" }
        return LineComparison(
            line: line, kernel: describe(kernel), model: describe(modelLine.outcome), verdict: check.verdict, details: check.details)
    }

    /// What one line's comparison found.
    struct LineCheck {
        var aspects: [String] = []
        var since: Int?
        var details: [String] = []

        mutating func differ(_ aspect: String) { aspects.append(aspect) }
        mutating func follows(_ line: Int) { since = min(since ?? line, line) }

        var verdict: LineComparison.Verdict {
            if !aspects.isEmpty { return .differ(aspects) }
            if let since { return .follows(since) }
            return .agree
        }
    }

    /// Memory after the op, extent by extent, and where it started to differ.
    private func checkMemory(
        _ line: ScriptLine, _ kernel: KernelOutcome, _ modelLine: ModelSide.LineOutcome,
        _ tracking: inout Tracking, _ check: inout LineCheck
    ) {
        for (index, digest) in kernel.memory.sorted(by: { $0.key < $1.key }) {
            tracking.kernelMemory[index] = digest
            if let modelDigest = modelLine.memory[index] { tracking.modelMemory[index] = modelDigest }
            guard modelLine.memory[index] != digest else {
                tracking.divergedSince[index] = nil
                continue
            }
            if let since = tracking.divergedSince[index] {
                check.follows(since)
            } else {
                tracking.divergedSince[index] = line.lineNumber
                check.differ("memory of " + extentName(index))
            }
        }
    }

    private func checkVerify(_ op: Op, _ kernel: KernelOutcome, _ outcome: Outcome, _ tracking: inout Tracking, _ check: inout LineCheck) {
        switch op.call {
        case .checkpoint(let call):
            tracking.checkpoints[call.name] = kernel.memory
        case .verify(let call):
            let kernelSame = tracking.checkpoints[call.name].map { $0 == kernel.memory } ?? true
            if kernelSame == outcome.reports(.memoryMismatch) { check.differ("verify") }
        default:
            break
        }
    }

    /// The line where the memory a read reads began to differ, if it has.
    private func readsDivergedMemory(_ op: Op, _ tracking: Tracking) -> Int? {
        switch op.call {
        case .cpuRead(let call):
            guard let extent = plan.extents.first(where: { $0.contains(call.phys, length: call.length) }) else { return nil }
            return tracking.divergedSince[extent.index]
        case .deviceRead:
            return tracking.divergedSince.values.min()
        default:
            return nil
        }
    }

    /// A guest physical address as the script's: inside an extent, or inside the swiotlb pool.
    func scriptAddress(_ guest: UInt64) -> UInt64 {
        for extent in plan.extents {
            if let phys = log.extentPhys[extent.index], guest >= phys, guest - phys < extent.size {
                return extent.scriptBase + (guest - phys)
            }
        }
        if let pool = log.swiotlb, guest >= pool.start, guest <= pool.end, let spec = scriptSwiotlb {
            return spec.base + (guest - pool.start)
        }
        return guest
    }

    private var scriptSwiotlb: SwiotlbSpec? {
        for planned in plan.lines { if case .swiotlb(let spec) = planned.line.op.call { return spec } }
        return plan.guest.bootSwiotlb
    }

    func extentName(_ index: Int) -> String {
        guard let extent = plan.extents.first(where: { $0.index == index }) else { return "extent \(index)" }
        return "\(extent.region) [\(hex(extent.scriptBase)), +\(hex(extent.size)))"
    }
}
