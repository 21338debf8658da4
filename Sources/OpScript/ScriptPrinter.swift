import DMASim

/// Writes ops (and their claims) as canonical op-script text, which `ScriptParser` reads
/// back to the same values: `parse(print(ops)) == ops`, and `print(parse(text)) == text`
/// for text already in canonical form.
///
/// Canonical form: single spaces; keys in the order of `VerbGrammar`; addresses (`base`,
/// `phys`, `addr`, `iova`, `reserve`) in lower-case hex; sizes, lengths and offsets with
/// the largest exact K/M/G/T suffix; defaults and empty `attrs=` left out; claims after
/// ` => `; one line per op, each ending in a newline.
public struct ScriptPrinter: Sendable {
    /// A printer; it keeps no state between calls.
    public init() {}

    /// `script` as text: its lines with their claims, one a line, in canonical form.
    public func print(_ script: Script) -> String {
        var writer = ScriptLineWriter()
        var text = ""
        for line in script.lines {
            text += writer.line(line.op, claims: line.claims) + "\n"
        }
        return text
    }

    /// `ops` as text, without claims.
    public func print(_ ops: [Op]) -> String {
        print(Script(lines: ops.enumerated().map { ScriptLine(lineNumber: $0.offset + 1, op: $0.element) }))
    }

    /// One line on its own, without a newline. Symbolic addresses are written as if no
    /// handle had been declared before it (explicitly where a bare name would misread).
    public func line(_ op: Op, claims: [Claim] = []) -> String {
        line(op, claims: claims, handles: HandleKinds())
    }

    func line(_ op: Op, claims: [Claim], handles: HandleKinds) -> String {
        let words = [op.kind.rawValue] + (fields(of: op, handles: handles) + placement(of: op)).compactMap { $0 }
        let opText = words.joined(separator: " ")
        return claims.isEmpty ? opText : opText + " => " + Claim.text(of: claims)
    }

    /// The words after the verb; nil stands for a field left out.
    private func fields(of op: Op, handles: HandleKinds) -> [String?] {
        switch op.call {
        case .machine, .region, .iommu, .device, .swiotlb: return topologyFields(of: op)
        case .alloc, .link, .sync, .unlink, .destroy, .free: return twoStepFields(of: op)
        case .map, .unmap, .syncForCPU, .syncForDevice, .mappingError: return streamingFields(of: op)
        default: return accessFields(of: op, handles: handles)
        }
    }
}

// How each kind of value is written; shared by every verb.
extension ScriptPrinter {
    /// `cpu=` (left out for CPU 0) and `time=` (left out when not known), which any line
    /// may end with.
    func placement(of op: Op) -> [String?] {
        [op.cpu == 0 ? nil : "cpu=\(op.cpu)", op.time.map { "time=" + DurationText.text(of: $0) }]
    }

    func hex(_ key: String, _ value: UInt64) -> String { key + "=" + ScriptNumber.hex(value) }

    func size(_ key: String, _ value: UInt64) -> String { key + "=" + ScriptNumber.size(value) }

    /// `off=`, left out when 0 (its default).
    func offset(_ value: UInt64) -> String? { value == 0 ? nil : size("off", value) }

    func direction(_ direction: DMADirection) -> String { "dir=" + direction.rawValue }

    /// `attrs=`, left out when empty.
    func attributes(_ attributes: DMAAttributes) -> String? {
        attributes.isEmpty ? nil : "attrs=" + attributes.scriptSpelling
    }

    func fill(_ fill: Fill) -> String { "fill=" + FillSyntax.text(of: fill) }

    /// A bare flag when set, nothing otherwise.
    func flag(_ name: String, _ isSet: Bool) -> String? { isSet ? name : nil }
}
