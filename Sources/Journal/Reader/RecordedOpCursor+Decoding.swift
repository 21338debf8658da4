import DMASim

/// Turning stored rows back into values: the inverse of `JournalWriter+Rows`.
extension RecordedOpCursor {
    /// The current ops row as `OpFields`.
    func opFields() throws(OpFieldsProblem) -> OpFields {
        let reader = ColumnReader<OpsColumn>(row: ops)
        let code = Int64(try reader.int(.kind))
        guard let kind = codes.opKind.value(of: code) else { throw OpFieldsProblem("unknown op kind code \(code)") }
        var fields = OpFields(kind: kind)
        fields.device = try name(at: Self.nameColumns)
        fields.handle = try name(at: Self.nameColumns + 2)
        fields.offset = ops.uint64(at: OpsColumn.offset.resultIndex)
        fields.length = ops.uint64(at: OpsColumn.length.resultIndex)
        fields.phys = ops.uint64(at: OpsColumn.phys.resultIndex)
        fields.address = ops.uint64(at: OpsColumn.address.resultIndex)
        if let value = ops.int(at: OpsColumn.dir.resultIndex) {
            guard let direction = DMADirection.allCases.first(where: { $0.kernelValue == value }) else {
                throw OpFieldsProblem("unknown direction \(value)")
            }
            fields.direction = direction
        }
        fields.attributes = ops.int64(at: OpsColumn.attrs.resultIndex).map { DMAAttributes(rawValue: UInt32(truncatingIfNeeded: $0)) }
        if let text = ops.text(at: OpsColumn.fill.resultIndex) {
            guard let fill = FillText.fill(from: text) else { throw OpFieldsProblem("fill '\(text)'") }
            fields.fill = fill
        }
        fields.cpu = ops.int(at: OpsColumn.cpu.resultIndex) ?? 0
        fields.time = ops.uint64(at: OpsColumn.timeNs.resultIndex)
        return fields
    }

    /// The name in the (kind, name) column pair starting at `index`.
    private func name(at index: Int32) throws(OpFieldsProblem) -> NameRef? {
        guard let kindText = ops.text(at: index), let text = ops.text(at: index + 1) else { return nil }
        guard let kind = NameKind(rawValue: kindText) else { throw OpFieldsProblem("name kind '\(kindText)'") }
        return NameRef(kind, text)
    }

    /// The outcome of the current ops row, with its child rows.
    func recordedOutcome(seq: Int64, kind: OpKind) throws(JournalError) -> RecordedOutcome {
        var outcome = RecordedOutcome(status: .ok)
        outcome.address = ops.uint64(at: OpsColumn.outAddress.resultIndex)
        outcome.digest = ops.uint64(at: OpsColumn.digest.resultIndex)
        outcome.ranges = try ranges.rows(for: seq)
        outcome.events = try events.rows(for: seq)
        outcome.findings = try findings.rows(for: seq)
        outcome.warnings = try warnings.rows(for: seq)
        let rejection = try rejections.rows(for: seq).first
        do throws(OpFieldsProblem) {
            outcome.status = try status(kind: kind, rejection: rejection)
        } catch {
            throw .invalidRecord(path: path, seq: seq, reason: error.reason)
        }
        return outcome
    }

    /// `OutcomeStatus` from the status code and its detail columns. A fault's direction is
    /// not stored: only a device write makes a write fault.
    private func status(kind: OpKind, rejection: String?) throws(OpFieldsProblem) -> OutcomeStatus {
        let code = Int64(try ColumnReader<OpsColumn>(row: ops).int(.status))
        guard let status = codes.status.value(of: code) else { throw OpFieldsProblem("unknown status code \(code)") }
        switch status {
        case .ok: return .ok
        case .fallback: return .fallback
        case .mappingError: return .mappingError
        case .rejected: return .rejected(rejection ?? "")
        case .oops: return .oops
        case .errno:
            let number = try ColumnReader<OpsColumn>(row: ops).int(.errno)
            guard let errno = Errno.allCases.first(where: { Int($0.number) == number }) else { throw OpFieldsProblem("unknown errno \(number)") }
            return .errno(errno)
        case .fault:
            let reader = ColumnReader<OpsColumn>(row: ops)
            let faultCode = Int64(try reader.int(.faultKind))
            guard let faultKind = codes.faultKind.value(of: faultCode) else { throw OpFieldsProblem("unknown fault kind code \(faultCode)") }
            return .fault(Fault(kind: faultKind, address: try reader.uint64(.faultAddress), isWrite: kind == .deviceWrite))
        }
    }

    // MARK: child rows (column 0 is seq)

    static func range(_ row: Statement) throws(OpFieldsProblem) -> MappedRange {
        guard let iova = row.uint64(at: 1), let phys = row.uint64(at: 2), let length = row.uint64(at: 3),
              let prot = row.int64(at: 4), let bounced = row.int64(at: 5) else { throw OpFieldsProblem("mapped_ranges row with a NULL") }
        return MappedRange(iova: iova, phys: phys, length: length, prot: IOMMUProt(rawValue: UInt8(truncatingIfNeeded: prot)), bounced: bounced != 0)
    }

    static func event(_ row: Statement, _ codes: JournalCodes) throws(OpFieldsProblem) -> SideEvent {
        guard let code = row.int64(at: 1), let address = row.uint64(at: 2), let length = row.uint64(at: 3),
              let target = row.uint64(at: 4) else { throw OpFieldsProblem("events row with a NULL") }
        guard let kind = codes.eventKind.value(of: code) else { throw OpFieldsProblem("unknown event kind code \(code)") }
        return SideEvent(kind, address: address, length: length, target: target)
    }

    static func finding(_ row: Statement) throws(OpFieldsProblem) -> Finding {
        guard let name = row.text(at: 1), let message = row.text(at: 3) else { throw OpFieldsProblem("findings row with a NULL") }
        guard let misuse = MisuseClass(rawValue: name) else { throw OpFieldsProblem("unknown misuse class '\(name)'") }
        return Finding(misuse, handle: row.text(at: 2), message)
    }

    static func text(_ row: Statement, _ column: String) throws(OpFieldsProblem) -> String {
        guard let text = row.text(at: 1) else { throw OpFieldsProblem("\(column) is NULL") }
        return text
    }
}
