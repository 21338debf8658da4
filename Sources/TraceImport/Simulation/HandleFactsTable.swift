import DMASim

/// What the simulation knows of each mapping or state handle (`TraceSimulation.MappingFacts`),
/// laid out for the millions of handles a long trace names: the importer never reuses a
/// handle (`m1`, `m2`, …), and an unmap, sync or dma-debug report may name one long after it
/// ended, so every handle keeps its facts for the run.
///
/// A `[String: MappingFacts]` cost about 130 bytes a handle (a 40-byte entry and a String
/// key in a table kept under three quarters full, two tables alive while it grew): 470 MB
/// of a 10 M-line import. Here a `NumberedHandle` (every handle the importer makes) is a
/// 16-byte slot in a page of 64 by its number, its device an index into the few device
/// names; any other spelling goes to a plain dictionary.
struct HandleFactsTable {
    /// 16 bytes: the length, the device's index + 1, the direction, whether it is a state.
    private struct Slot {
        var length: UInt64 = 0
        var device: UInt32 = 0
        var direction: DMADirection = .bidirectional
        var isState = false
    }

    private static let pageSize = 64
    private var pages: [String: [UInt64: [Slot]]] = [:]
    private var others: [String: TraceSimulation.MappingFacts] = [:]
    private var devices: [String] = []
    private var deviceIndex: [String: UInt32] = [:]

    subscript(handle: String) -> TraceSimulation.MappingFacts? {
        get {
            guard let numbered = NumberedHandle(handle) else { return others[handle] }
            let number = numbered.number
            guard let slot = pages[numbered.prefix]?[number / UInt64(Self.pageSize)]?[Int(number % UInt64(Self.pageSize))], slot.device != 0 else {
                return nil
            }
            return TraceSimulation.MappingFacts(length: slot.length, direction: slot.direction, device: devices[Int(slot.device) - 1],
                                                isState: slot.isState)
        }
        set {
            guard let numbered = NumberedHandle(handle) else { others[handle] = newValue; return }
            let number = numbered.number
            var slot = Slot()
            if let facts = newValue {
                slot = Slot(length: facts.length, device: index(of: facts.device), direction: facts.direction, isState: facts.isState)
            }
            pages[numbered.prefix, default: [:]][number / UInt64(Self.pageSize), default: Array(repeating: Slot(), count: Self.pageSize)][
                Int(number % UInt64(Self.pageSize))] = slot
        }
    }

    private mutating func index(of device: String) -> UInt32 {
        if let known = deviceIndex[device] { return known }
        devices.append(device)
        let index = UInt32(devices.count)
        deviceIndex[device] = index
        return index
    }
}
