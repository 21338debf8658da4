/// An enumeration written as its position in `stateOrder`: a list kept apart from the
/// declaration, so reordering or adding cases in source never renumbers what older states
/// hold (a new case goes at the end, and bumps `EngineStateFormat.version`).
protocol StateTagged: Equatable {
    static var stateOrder: [Self] { get }
}

extension StateTagged {
    func encode(to writer: inout StateWriter) {
        writer.varint(Self.stateOrder.firstIndex(of: self)!)
    }

    init(from reader: inout StateReader, _ field: StaticString) throws(EngineStateError) {
        self = Self.stateOrder[try reader.tag(field, below: Self.stateOrder.count)]
    }
}
