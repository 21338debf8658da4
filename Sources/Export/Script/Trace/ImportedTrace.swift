import DMASim
import Journal

/// What an imported journal says the kernel did, read back as typed rows: each op as the
/// importer journaled it (NULL where the trace was silent), the devices with the IOVA
/// space each one is in, and the line each op came from. `TraceScenario` turns it into
/// a script the simulator can run.
struct ImportedTrace {
    struct Row {
        var seq: Int
        var kind: OpKind
        var device: String?
        var handle: String?
        var offset: UInt64?
        var length: UInt64?
        var phys: UInt64?
        /// The DMA address an unmap or sync named.
        var address: UInt64?
        var direction: DMADirection?
        /// `status_kind.name`: ok, fault, errno, mapping-error, rejected.
        var status: String
        var faultKind: FaultKind?
        var faultAddress: UInt64?
        /// The DMA address a map returned.
        var returnedAddress: UInt64?
        var findings: [MisuseClass]
        /// The mapping a dma-debug report describes; empty for other records.
        var hints: DMADebugHints
        /// `file:line event` of the trace record, nil for the declarations the importer adds.
        var origin: String?
    }

    struct Device {
        var name: String
        /// The IOMMU the device sits behind; nil in the bus address space (`direct`).
        var iommu: String?
        /// `device_domains.domain`: devices with one are in one IOVA space.
        var domain: String
    }

    var rows: [Row] = []
    var devices: [Device] = []
    var iommus: [String] = []
    /// The kernel namings seen, to guess the architecture's default IOMMU mode.
    var kernelNamings: Set<String> = []

    init(runner: QueryRunner) throws(JournalError) {
        try readDevices(runner)
        try readRows(runner)
    }

    private mutating func readDevices(_ runner: QueryRunner) throws(JournalError) {
        let iommuRows = try runner.cursor("SELECT name FROM topology WHERE kind = 'iommu' ORDER BY seq")
        while try iommuRows.next() { if let name = iommuRows.text(at: 0) { iommus.append(name) } }
        let deviceRows = try runner.cursor("""
            SELECT t.name, t.iommu, d.domain FROM topology t JOIN device_domains d ON d.device = t.name
             WHERE t.kind = 'device' ORDER BY t.seq
            """)
        while try deviceRows.next() {
            guard let name = deviceRows.text(at: 0), let domain = deviceRows.text(at: 2) else { continue }
            devices.append(Device(name: name, iommu: domain == "direct" ? nil : deviceRows.text(at: 1), domain: domain))
        }
    }

    private mutating func readRows(_ runner: QueryRunner) throws(JournalError) {
        let cursor = try runner.cursor("""
            SELECT o.seq, k.name, d.name, h.name, o.offset, o.length, o.phys, o.address, dn.name, st.name, fk.name,
                   o.fault_address, o.out_address,
                   (SELECT group_concat(f.class, ',') FROM findings f WHERE f.seq = o.seq),
                   io.kernel_naming, io.line, src.path, CASE WHEN io.kernel_naming = 'dma_debug' THEN io.raw END
              FROM ops o
              JOIN op_kind k ON k.code = o.kind
              JOIN status_kind st ON st.code = o.status
              LEFT JOIN names d ON d.id = o.device
              LEFT JOIN names h ON h.id = o.handle
              LEFT JOIN direction dn ON dn.code = o.dir
              LEFT JOIN fault_kind fk ON fk.code = o.fault_kind
              LEFT JOIN imported_ops io ON io.seq = o.seq
              LEFT JOIN import_sources src ON src.id = io.source_id
             ORDER BY o.seq
            """)
        while try cursor.next() {
            guard let seq = cursor.integer(at: 0), let kind = cursor.text(at: 1).flatMap(OpKind.init(rawValue:)),
                  let status = cursor.text(at: 9) else { continue }
            let naming = cursor.text(at: 14)
            if let naming { kernelNamings.insert(naming) }
            let origin = naming.map { event in
                let file = cursor.text(at: 16).map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? "trace"
                return "\(file):\(cursor.integer(at: 15) ?? 0) \(event)"
            }
            rows.append(Row(
                seq: Int(seq), kind: kind, device: cursor.text(at: 2), handle: cursor.text(at: 3),
                offset: cursor.unsigned(at: 4), length: cursor.unsigned(at: 5), phys: cursor.unsigned(at: 6),
                address: cursor.unsigned(at: 7), direction: cursor.text(at: 8).flatMap(DMADirection.init(rawValue:)),
                status: status, faultKind: cursor.text(at: 10).flatMap(FaultKind.init(rawValue:)),
                faultAddress: cursor.unsigned(at: 11), returnedAddress: cursor.unsigned(at: 12),
                findings: (cursor.text(at: 13) ?? "").split(separator: ",").compactMap { MisuseClass(rawValue: String($0)) },
                hints: DMADebugHints(report: cursor.text(at: 17) ?? ""), origin: origin))
        }
    }
}
