/// Taking memory for a request's segments from the pools.
extension RequestBuffer {
    /// Takes a slot and lays segments of `lengths` out in it; their addresses, in order.
    mutating func placeInNewSlot(_ lengths: [UInt64], unit: UInt64, _ context: TrafficContext) -> [UInt64] {
        let slot = context.pools.slots.take(&context.random)!  // pools are sized for every request in flight
        slots.append(slot)
        return SlotLayout.place(lengths, unit: unit, slotBase: context.pools.slots.base(of: slot), &context.random)
    }

    /// Takes a slot and appends segments of `lengths` laid out inside it.
    mutating func appendInSlot(_ lengths: [UInt64], unit: UInt64, _ context: TrafficContext) {
        for (phys, length) in zip(placeInNewSlot(lengths, unit: unit, context), lengths) {
            append(phys: phys, length: length, context)
        }
    }
}
