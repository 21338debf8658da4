import DMASim
import Replay

/// Prints what `verify` and `diff` found: one line per differing run on stdout, then
/// either a line saying the two sides are equal or the one-line failure (exit 1). The
/// sides are named as the command line gave them (diff A B: "A … and B … differ"), never
/// swapped into seq order ("diff J c1 late": "snapshot c1 … differs from snapshot late …").
struct MemoryReportPrinter {
    let journal: String
    let format: OutputFormat

    func print(_ report: MemoryAudit.Report, first: String, second: String) throws {
        if let divergence = report.divergence {
            throw CLIFailure.expectationFailed("\(journal): replay diverged at seq \(divergence.sequence), so the writers are unknown: "
                                               + "\(divergence.differingFields.joined(separator: ", ")) differ")
        }
        let origin = report.startCheckpoint.map { "checkpoint \($0)" } ?? "op 0"
        if format == .json {
            Swift.print(json(report, first: first, second: second, origin: origin).text)
        } else {
            for difference in report.differences { Swift.print(difference) }
        }
        guard report.differences.isEmpty else {
            throw CLIFailure.expectationFailed("\(journal): \(first) differs from \(second): \(report.differences.count) runs, "
                                               + "0x\(String(report.differingBytes, radix: 16)) bytes")
        }
        if format == .text { Swift.print("\(first) equals \(second); replayed \(report.replayedCount) ops from \(origin)") }
    }

    private func json(_ report: MemoryAudit.Report, first: String, second: String, origin: String) -> JSONObject {
        let runs = report.differences.map { difference -> JSONValue in
            .object([("region", .string(difference.region)), ("phys", .hex(difference.phys)), ("length", .int(Int(difference.length))),
                     ("writers", .array(difference.writers.sorted { $0.sequence < $1.sequence }.map { .object([
                         ("seq", .int($0.sequence)), ("op", .string($0.op.rawValue)), ("device", $0.device.map(JSONValue.string) ?? .null),
                         ("handle", $0.handle.map(JSONValue.string) ?? .null)]) })),
                     ("untracked_bytes", .bool(difference.hasUntrackedBytes))])
        }
        return JSONObject([("first", .string(first)), ("second", .string(second)), ("equal", .bool(report.differences.isEmpty)),
                           ("differing_bytes", .int(Int(report.differingBytes))), ("runs", .array(runs)),
                           ("replayed_ops", .int(report.replayedCount)), ("replayed_from", .string(origin))])
    }
}
