/// The tally in a checkpoint: faults by kind and findings by class, each as (name, count)
/// sorted by name. Names rather than positions, so a class added later cannot shift what
/// an older state meant.
extension OutcomeTally {
    func encode(to writer: inout StateWriter) {
        writer.array(faults.sorted { $0.key.rawValue < $1.key.rawValue }) { $0.string($1.key.rawValue); $0.varint($1.value) }
        writer.array(findings.sorted { $0.key.rawValue < $1.key.rawValue }) { $0.string($1.key.rawValue); $0.varint($1.value) }
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        let faults = try reader.array("tally faults") { reader throws(EngineStateError) -> (FaultKind, Int) in
            let start = reader.offset
            let name = try reader.string("tally fault kind")
            guard let kind = FaultKind(rawValue: name) else { throw reader.invalid("tally fault kind", "unknown '\(name)'", at: start) }
            return (kind, try reader.int("tally fault count", in: 1...Int.max))
        }
        let findings = try reader.array("tally findings") { reader throws(EngineStateError) -> (MisuseClass, Int) in
            let start = reader.offset
            let name = try reader.string("tally misuse class")
            guard let misuse = MisuseClass(rawValue: name) else { throw reader.invalid("tally misuse class", "unknown '\(name)'", at: start) }
            return (misuse, try reader.int("tally finding count", in: 1...Int.max))
        }
        self.init(faults: Dictionary(faults, uniquingKeysWith: +), findings: Dictionary(findings, uniquingKeysWith: +))
    }
}
