import Testing
@testable import DMASim

@Suite struct EpitaphTableTests {
    @Test func numberedAndOtherHandlesAreKeptApartAndFoundAgain() {
        var table = EpitaphTable<Int>()
        let handles = ["s1", "s01", "s0", "s10", "m1", "x", "9", "s", "s1000000", "dev0/q7", "s123456789012345678"]
        for (index, handle) in handles.enumerated() { #expect(table.updateValue(index, forKey: handle) == nil) }
        #expect(table.count == handles.count)
        for (index, handle) in handles.enumerated() { #expect(table[handle] == index, "\(handle)") }
        #expect(table["s2"] == nil && table["s001"] == nil)
        #expect(table.updateValue(99, forKey: "s1") == 0)
        #expect(table.count == handles.count)
    }

    @Test func entriesComeByPrefixThenNumberThenTheRestByName() {
        var table = EpitaphTable<Int>()
        for handle in ["s10", "x", "m3", "s2", "s01", "s64", "s0"] { table.updateValue(0, forKey: handle) }
        #expect(table.entries.map(\.handle) == ["m3", "s0", "s2", "s10", "s64", "s01", "x"])
    }

    @Test func removingTheLastOfAPageDropsThePage() {
        var table = EpitaphTable<Int>()
        for number in 0..<200 { table.updateValue(number, forKey: "m\(number)") }
        for number in 0..<200 { #expect(table.removeValue(forKey: "m\(number)") == number) }
        #expect(table.isEmpty && table.entries.isEmpty)
        #expect(table.removeValue(forKey: "m5") == nil)
        table.updateValue(7, forKey: "m5")
        #expect(table["m5"] == 7 && table.count == 1)
    }
}
