/// The probe events on the two-step IOVA API (include/linux/dma-mapping.h, implemented in
/// drivers/iommu/dma-iommu.c), which has no tracepoint: one event on entry to each of the
/// six functions and one on its return, in a group of their own. Entry events carry the
/// arguments and `state->addr`; `_ret` events the return value (and, for try_alloc, the
/// state the call filled in: a `%return` probe reads entry arguments saved at entry and
/// dereferences them at return). `dmajournal import` reads the lines they print.
public enum IOVAProbes {
    /// The group the events are defined in (`events/dmajournal/`).
    public static let group = "dmajournal"

    /// What one probe field fetches.
    enum Value: Equatable, Sendable {
        /// Argument `number` (from 1), called `name` in the kernel's prototype.
        case argument(Int, String)
        /// A field of the struct argument `number` points to, `offset` bytes in
        /// (`state->addr` is `struct dma_iova_state` + 0).
        case member(Int, String, field: String, offset: Int)
        /// `dev->kobj.name`: `struct device` starts with its kobject, whose first member
        /// is the name pointer.
        case deviceName(Int, String)
        case returnValue
    }

    struct Field: Equatable, Sendable {
        let name: String
        let value: Value
        /// tracefs type: `x64` prints 0x…, `u64`/`s32` decimal, `string`.
        let type: String
    }

    /// One event: on entry (`returns == false`) or on return of `function`.
    public struct Event: Equatable, Sendable {
        public let function: String
        public let returns: Bool
        let fields: [Field]

        public var name: String { returns ? function + "_ret" : function }
    }

    private static func dev() -> Field { Field(name: "dev", value: .deviceName(1, "dev"), type: "string") }
    private static func state() -> Field { Field(name: "state", value: .argument(2, "state"), type: "x64") }
    private static func addr() -> Field { Field(name: "addr", value: .member(2, "state", field: "addr", offset: 0), type: "x64") }
    private static func stateSize() -> Field { Field(name: "state_size", value: .member(2, "state", field: "__size", offset: 8), type: "x64") }
    private static func arg(_ number: Int, _ name: String, _ type: String) -> Field { Field(name: name, value: .argument(number, name), type: type) }
    private static func ret(_ type: String) -> Field { Field(name: "ret", value: .returnValue, type: type) }

    /// The twelve events, in the order they are defined. Prototypes (7.3):
    /// `bool dma_iova_try_alloc(dev, state, phys_addr_t phys, size_t size)`,
    /// `int dma_iova_link(dev, state, phys, size_t offset, size_t size, enum dma_data_direction dir, unsigned long attrs)`,
    /// `int dma_iova_sync(dev, state, offset, size)`,
    /// `void dma_iova_unlink(dev, state, offset, size, dir, attrs)`,
    /// `void dma_iova_destroy(dev, state, size_t mapped_len, dir, attrs)`,
    /// `void dma_iova_free(dev, state)`.
    public static let events: [Event] = [
        Event(function: "dma_iova_try_alloc", returns: false, fields: [dev(), state(), arg(3, "phys", "x64"), arg(4, "size", "u64")]),
        Event(function: "dma_iova_try_alloc", returns: true, fields: [ret("u8"), state(), addr(), stateSize()]),
        Event(function: "dma_iova_link", returns: false, fields: [
            dev(), state(), addr(), arg(3, "phys", "x64"), arg(4, "offset", "u64"), arg(5, "size", "u64"),
            arg(6, "dir", "s32"), arg(7, "attrs", "x64"),
        ]),
        Event(function: "dma_iova_link", returns: true, fields: [ret("s32")]),
        Event(function: "dma_iova_sync", returns: false, fields: [dev(), state(), addr(), arg(3, "offset", "u64"), arg(4, "size", "u64")]),
        Event(function: "dma_iova_sync", returns: true, fields: [ret("s32")]),
        Event(function: "dma_iova_unlink", returns: false, fields: [
            dev(), state(), addr(), arg(3, "offset", "u64"), arg(4, "size", "u64"), arg(5, "dir", "s32"), arg(6, "attrs", "x64"),
        ]),
        Event(function: "dma_iova_unlink", returns: true, fields: []),
        Event(function: "dma_iova_destroy", returns: false, fields: [
            dev(), state(), addr(), stateSize(), arg(3, "mapped_len", "u64"), arg(4, "dir", "s32"), arg(5, "attrs", "x64"),
        ]),
        Event(function: "dma_iova_destroy", returns: true, fields: []),
        Event(function: "dma_iova_free", returns: false, fields: [dev(), state(), addr(), stateSize()]),
        Event(function: "dma_iova_free", returns: true, fields: []),
    ]

    /// The six probed functions.
    public static var functions: [String] {
        var seen: [String] = []
        for event in events where !seen.contains(event.function) { seen.append(event.function) }
        return seen
    }
}
