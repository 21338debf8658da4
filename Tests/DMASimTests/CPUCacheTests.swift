import Testing
@testable import DMASim

/// The CPU cache model: arm64 `dcache_clean_poc` / `dcache_inval_poc` on 64-byte lines
/// (arch/arm64/mm/cache.S), write-allocate stores, and what DMA does to held lines.
@Suite struct CPUCacheTests {
    static let page: UInt64 = 0x1000_0000

    /// The cache under test, in a class so the tests can mutate it.
    final class Bench {
        let memory = PhysicalMemory()
        var cache: CPUCache

        init() {
            _ = memory.add(RegionSpec(name: "ram0", base: CPUCacheTests.page, sizeBytes: 1 << 20, kind: .ram))
            cache = CPUCache(memory: memory)
        }
    }

    let bench = Bench()
    var memory: PhysicalMemory { bench.memory }
    var cache: CPUCache {
        get { bench.cache }
        nonmutating _modify { yield &bench.cache }
    }

    func cpuWrite(_ phys: UInt64, _ length: UInt64, _ fill: Fill) {
        cache.cpuWrite(phys: phys, length: length) { fill.render(into: $0, from: $1) }
    }

    func cpuBytes(_ phys: UInt64, _ length: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        cache.cpuRead(phys: phys, length: length) { bytes.append(contentsOf: $0) }
        return bytes
    }

    func memoryBytes(_ phys: UInt64, _ length: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Int(length))
        memory.read(phys: phys, into: &bytes)
        return bytes
    }

    func deviceWrite(_ phys: UInt64, _ length: UInt64, _ value: UInt8, coherent: Bool) {
        cache.deviceWillWrite(phys: phys, length: length, coherent: coherent)
        memory.write(phys: phys, length: length, fill: .byte(value), fillPosition: 0)
    }

    static func bytes(_ value: UInt8, _ count: Int) -> [UInt8] { [UInt8](repeating: value, count: count) }

    /// A store stays in the cache: memory (what a non-coherent device reads) is old
    /// until `arch_sync_dma_for_device` cleans the line.
    @Test func storesStayDirtyUntilCleaned() {
        cpuWrite(Self.page, 128, .byte(0xAA))
        #expect(cpuBytes(Self.page, 128) == Self.bytes(0xAA, 128))
        #expect(memoryBytes(Self.page, 128) == Self.bytes(0, 128))
        #expect(cache.lineState(Self.page) == .dirty)
        cache.clean(phys: Self.page + 64, length: 1)              // one line only
        #expect(memoryBytes(Self.page, 128) == Self.bytes(0, 64) + Self.bytes(0xAA, 64))
        #expect(cache.lineState(Self.page + 64) == .clean)
        #expect(cache.dataLineCount == 1)
    }

    /// `dcache_inval_poc`: a dirty line wholly inside the range loses its data; a line
    /// only partly inside is cleaned first (`dc civac`).
    @Test func invalidateDropsWholeLinesAndCleansTheEdges() {
        cpuWrite(Self.page, 192, .byte(0xBB))
        cache.invalidate(phys: Self.page + 32, length: 96)       // line 0 partly, line 1 wholly
        #expect(memoryBytes(Self.page, 192) == Self.bytes(0xBB, 64) + Self.bytes(0, 128))
        #expect(cpuBytes(Self.page, 192) == Self.bytes(0xBB, 64) + Self.bytes(0, 64) + Self.bytes(0xBB, 64))
        #expect(cache.lineState(Self.page + 64) == .clean)        // re-read as clean from memory
    }

    /// A non-coherent device write: clean lines the CPU holds become stale (it keeps
    /// reading the old bytes); memory has the new ones; invalidate shows them.
    @Test func nonCoherentWriteLeavesHeldLinesStale() {
        _ = cpuBytes(Self.page, 64)                               // held, clean
        deviceWrite(Self.page, 64, 0xCC, coherent: false)
        #expect(cache.lineState(Self.page) == .stale)
        #expect(cpuBytes(Self.page, 64) == Self.bytes(0, 64))
        cache.invalidate(phys: Self.page, length: 64)
        #expect(cpuBytes(Self.page, 64) == Self.bytes(0xCC, 64))
    }

    /// A dirty line the device also wrote: a later clean writes the CPU's line back over
    /// the device's bytes — the shared-cacheline corruption.
    @Test func dirtyLineWriteBackClobbersDeviceData() {
        cpuWrite(Self.page, 8, .byte(0x11))                       // partial: merged from memory
        deviceWrite(Self.page + 8, 56, 0x22, coherent: false)
        #expect(cache.lineState(Self.page) == .dirty)
        cache.clean(phys: Self.page, length: 8)
        #expect(memoryBytes(Self.page, 64) == Self.bytes(0x11, 8) + Self.bytes(0, 56))
    }

    /// Coherent DMA snoops: a write drops the CPU's lines (after writing back a partly
    /// covered dirty one), a read sees dirty data.
    @Test func coherentDevicesSnoop() {
        cpuWrite(Self.page, 128, .byte(0x33))
        var seen: [UInt8] = []
        cache.deviceRead(phys: Self.page, length: 64, coherent: true) { seen.append(contentsOf: $0) }
        #expect(seen == Self.bytes(0x33, 64))
        seen = []
        cache.deviceRead(phys: Self.page, length: 64, coherent: false) { seen.append(contentsOf: $0) }
        #expect(seen == Self.bytes(0, 64))
        deviceWrite(Self.page + 96, 32, 0x44, coherent: true)
        #expect(cache.lineState(Self.page + 64) == .absent)
        #expect(cpuBytes(Self.page + 64, 64) == Self.bytes(0x33, 32) + Self.bytes(0x44, 32))
    }

    /// A partial store to a stale line merges with the stale copy, not with memory.
    @Test func partialStoreMergesTheCPUsView() {
        _ = cpuBytes(Self.page, 64)
        deviceWrite(Self.page, 64, 0x55, coherent: false)
        cpuWrite(Self.page, 4, .byte(0x66))
        #expect(cache.lineState(Self.page) == .dirty)
        #expect(cpuBytes(Self.page, 64) == Self.bytes(0x66, 4) + Self.bytes(0, 60))
    }

    /// Storage grows with the lines held: data only for dirty or stale lines, and an
    /// emptied page gives everything back.
    @Test func storageFollowsTheLinesHeld() {
        cpuWrite(Self.page, 64 * 1024, .seed(1))
        #expect(cache.dataLineCount == 1024)
        #expect(memory.store.touchedPageCount == 0)
        cache.clean(phys: Self.page, length: 64 * 1024)
        #expect(cache.dataLineCount == 0)
        #expect(cache.heldLineCount == 1024)
        cache.invalidate(phys: Self.page, length: 64 * 1024)
        #expect(cache.heldLineCount == 0)
    }
}
