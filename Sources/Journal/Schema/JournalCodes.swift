import DMASim

/// Every lookup table the writer and reader translate through.
struct JournalCodes {
    let opKind: CodeTable<OpKind>
    let status: CodeTable<StatusKind>
    let faultKind: CodeTable<FaultKind>
    let eventKind: CodeTable<SideEventKind>

    init(_ database: Database) throws(JournalError) {
        opKind = try CodeTable(database, table: "op_kind", value: OpKind.init(rawValue:))
        status = try CodeTable(database, table: "status_kind", value: StatusKind.init(rawValue:))
        faultKind = try CodeTable(database, table: "fault_kind", value: FaultKind.init(rawValue:))
        eventKind = try CodeTable(database, table: "event_kind", value: SideEventKind.init(rawValue:))
    }

    /// Names of enum cases the schema forgot, as `table.case`; empty when complete.
    var missing: [String] {
        opKind.missingValues(of: OpKind.allCases).map { "op_kind.\($0.rawValue)" }
            + status.missingValues(of: StatusKind.allCases).map { "status_kind.\($0.rawValue)" }
            + faultKind.missingValues(of: FaultKind.allCases).map { "fault_kind.\($0.rawValue)" }
            + eventKind.missingValues(of: SideEventKind.allCases).map { "event_kind.\($0.rawValue)" }
    }
}
