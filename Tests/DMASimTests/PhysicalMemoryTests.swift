import Testing
@testable import DMASim

/// Sparse physical memory: no per-page metadata, untouched bytes read as zero.
@Suite struct PhysicalMemoryTests {
    @Test func aTerabyteRegionCostsNothingUntilWritten() {
        let machine = TestMachine()
        let end = TestMachine.shared + (1 << 40) - 4096
        #expect(machine.cpuRead(end, len: 4096).digest == Fill.zero.digest(length: 4096))
        #expect(machine.engine.memory.store.touchedPageCount == 0)
        machine.cpuWrite(end, len: 4096, fill: .seed(5))
        #expect(machine.engine.memory.store.touchedPageCount == 1)
        #expect(machine.cpuRead(end, len: 4096).digest == Fill.seed(5).digest(length: 4096))
    }

    @Test func writesAcrossPagesKeepTheFillPosition() {
        let machine = TestMachine()
        machine.cpuWrite(TestMachine.ram + 4000, len: 200, fill: .seed(9))
        var bytes = [UInt8](repeating: 0, count: 200)
        machine.engine.memory.read(phys: TestMachine.ram + 4000, into: &bytes)
        #expect(bytes == (0..<200).map { Fill.seed(9).byte(at: UInt64($0)) })
    }

    @Test func accessOutsideEveryRegionIsEFAULT() {
        let machine = TestMachine()
        #expect(machine.cpuRead(0x10, len: 4).status == .errno(.EFAULT))
        #expect(machine.cpuWrite(TestMachine.ram + (3 << 30) - 2, len: 4, fill: .zero).status == .errno(.EFAULT))
    }

    @Test func overlappingRegionsAreRejected() {
        let machine = TestMachine()
        let outcome = machine.run(.region(RegionSpec(name: "bad", base: TestMachine.ram + 4096, sizeBytes: 4096, kind: .ram)))
        #expect(outcome.status == .rejected("region bad overlaps region ram0"))
    }

    @Test(arguments: [(Fill.byte(0xAB), [UInt8](repeating: 0xAB, count: 5)),
                      (.pattern([0xDE, 0xAD]), [0xDE, 0xAD, 0xDE, 0xAD, 0xDE]),
                      (.zero, [0, 0, 0, 0, 0])])
    func fillsArePureFunctionsOfPosition(fill: Fill, expected: [UInt8]) {
        #expect((0..<5).map { fill.byte(at: UInt64($0)) } == expected)
    }
}
