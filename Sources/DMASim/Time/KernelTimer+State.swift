extension KernelTimer {
    /// A tag per case (its position in this switch, never renumbered), then its payload.
    func encode(to writer: inout StateWriter) {
        switch self {
        case .flushQueue(let domain):
            writer.varint(0)
            domain.encode(to: &writer)
        case .depotReclaim(let domain, let order):
            writer.varint(1)
            domain.encode(to: &writer)
            writer.varint(order)
        }
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        switch try reader.tag("timer kind", below: 2) {
        case 1:
            self = .depotReclaim(try DomainID(from: &reader),
                                 order: try reader.int("depot order", in: 0...(IOVAAllocator.rangeCacheMaxOrder - 1)))
        default: self = .flushQueue(try DomainID(from: &reader))
        }
    }
}

extension DomainID {
    func encode(to writer: inout StateWriter) {
        writer.string(iommu)
        writer.varint(index)
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        self.init(iommu: try reader.string("timer domain iommu"), index: try reader.int("timer domain index", in: 0...Int(Int32.max)))
    }
}

extension TimerQueue {
    func encode(to writer: inout StateWriter) {
        writer.varint(nextSerial)
        writer.array(pending) { writer, entry in
            entry.timer.encode(to: &writer)
            writer.varint(entry.deadline)
            writer.varint(entry.armSerial)
        }
    }

    init(from reader: inout StateReader) throws(EngineStateError) {
        let nextSerial = try reader.varint("timer next serial")
        let pending = try reader.array("timers") { reader throws(EngineStateError) in
            let start = reader.offset
            let entry = PendingTimer(timer: try KernelTimer(from: &reader), deadline: try reader.varint("timer deadline"),
                                     armSerial: try reader.varint("timer arm serial"))
            guard entry.armSerial < nextSerial else { throw reader.invalid("timer", "armed after the next serial", at: start) }
            return entry
        }
        guard Set(pending.map(\.timer)).count == pending.count else {
            throw reader.invalid("timers", "a timer is pending twice", at: reader.offset)
        }
        self.init(pending: pending, nextSerial: nextSerial)
    }
}
