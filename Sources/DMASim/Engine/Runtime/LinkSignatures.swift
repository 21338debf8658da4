/// The distinct link signatures of a state, in the order links first used them, packed
/// four bits each into one word: a direction (4) times two attribute bits is 16 values,
/// so even every one of them fits. A state record, and the epitaph of an ended one, then
/// carries its signatures without an array allocation of its own.
struct LinkSignatures: Hashable, Sequence {
    private var packed: UInt64 = 0
    /// A byte, so the list costs 9 bytes in a record.
    private var storedCount: UInt8 = 0

    var count: Int { Int(storedCount) }

    init() {}

    init(_ signatures: [LinkSignature]) {
        for signature in signatures { insert(signature) }
    }

    var isEmpty: Bool { count == 0 }

    func contains(_ signature: LinkSignature) -> Bool {
        let code = UInt64(signature.code)
        for position in 0..<count where packed >> (4 * UInt64(position)) & 0xF == code { return true }
        return false
    }

    /// Appends `signature` unless the list has it already.
    mutating func insert(_ signature: LinkSignature) {
        guard !contains(signature) else { return }
        packed |= UInt64(signature.code) << (4 * UInt64(count))
        storedCount += 1
    }

    struct Iterator: IteratorProtocol {
        fileprivate var rest: UInt64
        fileprivate var remaining: Int

        mutating func next() -> LinkSignature? {
            guard remaining > 0 else { return nil }
            defer { rest >>= 4; remaining -= 1 }
            return LinkSignature(code: UInt8(truncatingIfNeeded: rest) & 0xF)
        }
    }

    func makeIterator() -> Iterator { Iterator(rest: packed, remaining: count) }
}

extension LinkSignature {
    /// The direction's kernel value in bits 0–1 (`DMADirection.stateOrder`), SKIP_CPU_SYNC
    /// in bit 2, MMIO in bit 3.
    fileprivate var code: UInt8 {
        UInt8(truncatingIfNeeded: direction.kernelValue) | (skipCPUSync ? 4 : 0) | (mmio ? 8 : 0)
    }

    fileprivate init(code: UInt8) {
        var attributes: DMAAttributes = []
        if code & 4 != 0 { attributes.insert(.skipCPUSync) }
        if code & 8 != 0 { attributes.insert(.mmio) }
        self.init(direction: DMADirection.stateOrder[Int(code & 3)], attributes: attributes)
    }
}
