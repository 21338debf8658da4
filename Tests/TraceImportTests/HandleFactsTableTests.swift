import DMASim
import Testing
@testable import TraceImport

@Suite struct HandleFactsTableTests {
    /// Numbered handles (paged by number) and any other spelling (a dictionary) read back
    /// what was stored, a later store replaces an earlier one, and an unknown handle has none.
    @Test func readsBackWhatWasStored() {
        var table = HandleFactsTable()
        let map = TraceSimulation.MappingFacts(length: 4096, direction: .fromDevice, device: "0000:01:00.0", isState: false)
        let state = TraceSimulation.MappingFacts(length: 1 << 21, direction: .bidirectional, device: "nvme0", isState: true)
        for number in stride(from: 1, through: 200_000, by: 7) { table["m\(number)"] = map }
        table["s3"] = state
        table["o-odd"] = state
        #expect(table["m1"] == map)
        #expect(table["m199998"] == map)
        #expect(table["m2"] == nil)
        #expect(table["m01"] == nil)
        #expect(table["s3"] == state)
        #expect(table["m3"] == nil)
        #expect(table["o-odd"] == state)
        table["m1"] = state
        #expect(table["m1"] == state)
        table["m1"] = nil
        #expect(table["m1"] == nil)
    }
}
