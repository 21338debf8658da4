import DMASim
import OpScript
import Pipeline

/// Prints what `run` did, a line per op: the op as script text, then its outcome as the
/// claims that hold for it — so a printed line pasted back into a script is a passing
/// expectation. Findings and kernel warnings follow, indented.
struct OutcomePrinter {
    let format: OutputFormat
    let quiet: Bool
    let fileName: String
    let colour: TerminalColour
    private var tally = RunTally()

    init(format: OutputFormat, quiet: Bool, fileName: String, colour: TerminalColour = .forStandardOutput()) {
        self.format = format; self.quiet = quiet; self.fileName = fileName; self.colour = colour
    }

    mutating func print(_ result: ScriptExecutor.LineResult) throws {
        tally.count(result)
        let failed = !result.failedClaims.isEmpty || result.isUnexpectedRejection
        if quiet && !failed { return }
        switch format {
        case .text: Swift.print(textLines(result).joined(separator: "\n"))
        case .json: Swift.print(OutcomeJSON.object(for: result, fileName: fileName))
        }
    }

    func printSummary(_ ending: ScriptExecutor.Ending) {
        guard format == .text else { return }
        Swift.print(tally.summary(ending))
    }

    private func textLines(_ result: ScriptExecutor.LineResult) -> [String] {
        let op = ScriptPrinter().line(result.line.op)
        let outcome = OutcomeDescriber().describe(result.outcome)
        var lines = ["\(pad(result.line.lineNumber))  \(op)  => \(outcome)"]
        if !result.failedClaims.isEmpty {
            lines.append(colour.fault("      expected: \(Claim.text(of: result.line.claims))"))
        }
        if case .rejected(let reason) = result.outcome.status { lines.append(colour.fault("      rejected: \(reason)")) }
        if let fault = result.outcome.fault {
            lines.append(colour.fault("      fault: \(fault.kind.rawValue) \(fault.isWrite ? "write" : "read") at 0x\(String(fault.address, radix: 16))"))
        }
        lines += result.outcome.findings.map { colour.finding("      \($0.misuse.rawValue)\($0.handle.map { " (\($0))" } ?? ""): \($0.message)") }
        lines += result.outcome.warnings.map { colour.warning("      kernel: \($0)") }
        return lines
    }

    private func pad(_ number: Int) -> String {
        let text = String(number)
        return String(repeating: " ", count: max(0, 4 - text.count)) + text
    }
}

/// Counts for the closing summary line.
struct RunTally {
    private(set) var ops = 0
    private(set) var faults = 0
    private(set) var findings = 0
    private(set) var checkedLines = 0

    mutating func count(_ result: ScriptExecutor.LineResult) {
        ops += 1
        if result.outcome.fault != nil { faults += 1 }
        findings += result.outcome.findings.count
        if !result.line.claims.isEmpty { checkedLines += 1 }
    }

    func summary(_ ending: ScriptExecutor.Ending) -> String {
        let counts = "\(ops) ops, \(faults) faults, \(findings) findings"
        switch ending {
        case .completed:
            return "\(counts); \(checkedLines) lines with expectations, all held"
        case .claimFailed(let result):
            return "\(counts); stopped at line \(result.line.lineNumber): expectation failed"
        case .rejected(let result):
            return "\(counts); stopped at line \(result.line.lineNumber): op rejected"
        }
    }
}
