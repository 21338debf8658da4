import DMASim
import Journal
import OpScript
import Pipeline

/// One JSON object per executed op, keys in a fixed order so output diffs cleanly.
/// Addresses and digests are hex strings (JSON numbers lose 64-bit precision).
enum OutcomeJSON {
    static func object(for result: ScriptExecutor.LineResult, fileName: String) -> String {
        let outcome = result.outcome
        var fields: [(String, String)] = [
            ("file", quote(fileName)),
            ("line", String(result.line.lineNumber)),
            ("seq", String(result.sequence)),
            ("op", quote(ScriptPrinter().line(result.line.op))),
            ("status", quote(outcome.status.name)),
        ]
        if case .errno(let errno) = outcome.status { fields.append(("errno", quote(errno.rawValue))) }
        if case .rejected(let reason) = outcome.status { fields.append(("reason", quote(reason))) }
        if let fault = outcome.fault {
            fields.append(("fault", object([("kind", quote(fault.kind.rawValue)), ("address", hex(fault.address)),
                                            ("write", String(fault.isWrite))])))
        }
        if let address = outcome.address { fields.append(("address", hex(address))) }
        if let digest = outcome.digest { fields.append(("digest", hex(digest))) }
        fields.append(("outcome", quote(OutcomeDescriber().describe(outcome))))
        fields.append(("expectation", quote(expectation(result))))
        fields.append(("ranges", array(outcome.ranges.map(range))))
        fields.append(("touched", array(outcome.touched.map { object([("phys", hex($0.phys)), ("length", String($0.length))]) })))
        fields.append(("events", array(outcome.events.map(event))))
        fields.append(("findings", array(outcome.findings.map(finding))))
        fields.append(("warnings", array(outcome.warnings.map(quote))))
        return object(fields)
    }

    private static func expectation(_ result: ScriptExecutor.LineResult) -> String {
        if result.line.claims.isEmpty { return "none" }
        return result.failedClaims.isEmpty ? "held" : "failed"
    }

    private static func range(_ range: MappedRange) -> String {
        object([("iova", hex(range.iova)), ("phys", hex(range.phys)), ("length", String(range.length)),
                ("prot", quote(range.prot.shortDescription)), ("bounced", String(range.bounced))])
    }

    private static func event(_ event: SideEvent) -> String {
        object([("kind", quote(event.kind.rawValue)), ("address", hex(event.address)),
                ("length", String(event.length)), ("target", hex(event.target))])
    }

    private static func finding(_ finding: Finding) -> String {
        object([("class", quote(finding.misuse.rawValue)), ("handle", finding.handle.map(quote) ?? "null"),
                ("message", quote(finding.message))])
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    static func hex(_ value: UInt64) -> String { "\"0x\(String(value, radix: 16))\"" }

    /// A JSON string literal.
    static func quote(_ text: String) -> String { JSONString.literal(text) }
}
