import DMASim
import Journal

/// An imported journal read back as the import wrote it: the machine it declared, and
/// each kernel call as the trace had it (`ImportedOp`: NULL columns are what the line did
/// not say) with its claims (`ops.claims`), so `TraceScenario` runs the same simulation
/// the import ran. The calls are read one at a time (`calls()`): a replay of a 10 M-line
/// trace holds one call, not the trace.
struct ImportedJournal {
    struct Call {
        var seq: Int
        var record: ImportedOp
        /// What the kernel did, as op-script claims text; nil when the import stored none.
        var claims: String?
        /// `file:line event` of the trace record.
        var origin: String
    }

    let topology: [Op]
    /// What the import's simulation filled in.
    let assumptions: [String]
    private let path: String

    init(path: String) throws(JournalError) {
        let reader = try JournalReader(path: path)
        topology = try reader.topology()
        assumptions = try reader.importAssumptions()
        self.path = path
    }

    /// The kernel calls in seq order, one at a time.
    func calls() throws(JournalError) -> CallCursor {
        try CallCursor(QueryRunner(path: path))
    }

    /// Reads the calls as `next()` asks for them; the runner (its connection) lives as long.
    final class CallCursor {
        private let runner: QueryRunner
        private let cursor: QueryCursor

        init(_ runner: QueryRunner) throws(JournalError) {
            self.runner = runner
            cursor = try runner.cursor(Self.sql)
        }

        /// The next call; nil after the last. Rows of a kind no import writes are passed over.
        func next() throws(JournalError) -> Call? {
            while try cursor.next() {
                if let call = Self.call(cursor) { return call }
            }
            return nil
        }

        static let sql = """
            SELECT o.seq, k.name, d.name, h.name, o.offset, o.length, o.phys, o.address, dn.name, o.attrs, st.name, fk.name,
                   o.fault_address, o.out_address, o.claims, io.kernel_naming, io.line, src.path, io.raw, e.name,
                   io.timestamp_ns, io.cpu
              FROM imported_ops io
              JOIN ops o ON o.seq = io.seq
              JOIN op_kind k ON k.code = o.kind
              JOIN status_kind st ON st.code = o.status
              LEFT JOIN names d ON d.id = o.device
              LEFT JOIN names h ON h.id = o.handle
              LEFT JOIN direction dn ON dn.code = o.dir
              LEFT JOIN fault_kind fk ON fk.code = o.fault_kind
              LEFT JOIN errno_name e ON e.code = o.errno
              LEFT JOIN import_sources src ON src.id = io.source_id
             ORDER BY o.seq
            """

        private static func call(_ cursor: QueryCursor) -> Call? {
            guard let seq = cursor.integer(at: 0), let kind = cursor.text(at: 1).flatMap(OpKind.init(rawValue:)),
                  let status = cursor.text(at: 10), let naming = cursor.text(at: 15) else { return nil }
            var row = Row(kind: kind, device: cursor.text(at: 2), handle: cursor.text(at: 3), offset: cursor.unsigned(at: 4),
                          length: cursor.unsigned(at: 5), phys: cursor.unsigned(at: 6), address: cursor.unsigned(at: 7),
                          direction: cursor.text(at: 8).flatMap(DMADirection.init(rawValue:)),
                          attributes: cursor.unsigned(at: 9).map { DMAAttributes(rawValue: UInt32(truncatingIfNeeded: $0)) })
            row.status = status
            row.faultKind = cursor.text(at: 11).flatMap(FaultKind.init(rawValue:))
            row.faultAddress = cursor.unsigned(at: 12)
            row.returnedAddress = cursor.unsigned(at: 13)
            row.errno = cursor.text(at: 19).flatMap(Errno.init(rawValue:))
            let line = Int(cursor.integer(at: 16) ?? 0)
            let file = cursor.text(at: 17).map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? "trace"
            let provenance = ImportProvenance(sourceID: 0, line: line, lineCount: 1, sourceFormat: "", kernelNaming: naming,
                                              timestampNanoseconds: cursor.unsigned(at: 20), cpu: cursor.integer(at: 21).map { Int($0) },
                                              raw: cursor.text(at: 18) ?? "")
            guard let record = row.record(provenance: provenance) else { return nil }
            return Call(seq: Int(seq), record: record, claims: cursor.text(at: 14), origin: "\(file):\(line) \(naming)")
        }
    }

    /// One `ops` row's columns, NULL as nil.
    private struct Row {
        var kind: OpKind
        var device: String?
        var handle: String?
        var offset: UInt64?
        var length: UInt64?
        var phys: UInt64?
        var address: UInt64?
        var direction: DMADirection?
        var attributes: DMAAttributes?
        var status = "ok"
        var faultKind: FaultKind?
        var faultAddress: UInt64?
        var returnedAddress: UInt64?
        var errno: Errno?

        /// The call as the import journaled it; nil for a kind no import writes.
        func record(provenance: ImportProvenance) -> ImportedOp? {
            var unknown: UnknownFields = []
            func value(_ field: UInt64?, _ flag: UnknownFields) -> UInt64 {
                if field == nil { unknown.insert(flag) }
                return field ?? 0
            }
            let direction = self.direction ?? { unknown.insert(.direction); return .bidirectional }()
            let attributes = self.attributes ?? { unknown.insert(.attributes); return [] }()
            let handle = self.handle ?? ""
            let device = self.device ?? ""
            let op: Op
            switch kind {
            case .map:
                op = .map(MapOp(mapping: handle, device: device, phys: value(phys, .phys), length: value(length, .length),
                                direction: direction, attributes: attributes))
            case .unmap:
                op = .unmap(UnmapOp(mapping: handle, length: value(length, .length), direction: direction, attributes: attributes))
            case .syncForCPU, .syncForDevice:
                let sync = StreamingSyncOp(mapping: handle, offset: value(offset, .offset), length: value(length, .length), direction: direction)
                op = kind == .syncForCPU ? .syncForCPU(sync) : .syncForDevice(sync)
            case .alloc:
                op = .alloc(AllocOp(state: handle, device: device, phys: value(phys, .phys), sizeBytes: value(length, .length)))
            case .link:
                op = .link(LinkOp(state: handle, offset: value(offset, .offset), phys: value(phys, .phys), length: value(length, .length),
                                  direction: direction, attributes: attributes))
            case .sync:
                op = .sync(SyncOp(state: handle, offset: value(offset, .offset), length: value(length, .length)))
            case .unlink:
                op = .unlink(UnlinkOp(state: handle, offset: value(offset, .offset), length: value(length, .length),
                                      direction: direction, attributes: attributes))
            case .destroy:
                op = .destroy(DestroyOp(state: handle, mappedLength: value(length, .length), direction: direction, attributes: attributes))
            case .free:
                op = .free(FreeOp(state: handle))
            case .deviceRead:
                op = .deviceRead(DeviceReadOp(device: device, address: .absolute(faultAddress ?? address ?? 0), length: value(length, .length)))
            case .deviceWrite:
                op = .deviceWrite(DeviceWriteOp(device: device, address: .absolute(faultAddress ?? address ?? 0),
                                                length: value(length, .length), fill: .zero))
            case .detach:
                op = .detach(DetachOp(device: device))
            case .flush:
                // The IOMMU in the device column, the device whose domain it flushes in the
                // handle, when its timer ran (if before the op) in the offset.
                op = .flush(FlushOp(iommu: device, device: self.handle, ranAt: offset))
            default:
                return nil
            }
            return ImportedOp(op: op, outcome: outcome, unknown: unknown, device: self.device, address: address, provenance: provenance)
        }

        private var outcome: Outcome {
            switch status {
            case "fault":
                let write = kind == .deviceWrite
                return Outcome(status: .fault(Fault(kind: faultKind ?? .notPresent, address: faultAddress ?? address ?? 0, isWrite: write)))
            case "fallback": return Outcome(status: .fallback)
            case "errno": return Outcome(status: .errno(errno ?? .EIO))
            case "mapping-error": return Outcome(status: .mappingError)
            default: return Outcome(status: .ok, address: returnedAddress)
            }
        }
    }
}
