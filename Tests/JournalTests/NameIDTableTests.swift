import Testing
@testable import Journal

@Suite struct NameIDTableTests {
    /// Past several doublings of the table every name still finds its own id, and a state
    /// and a mapping that share a name (and so a hash) stay apart.
    @Test func findsEveryNameAfterGrowing() {
        var table = NameIDTable()
        let names = (0..<5000).flatMap { [NameRef(.state, "s\($0)"), NameRef(.mapping, "s\($0)")] }
        for (index, name) in names.enumerated() {
            #expect(table.id(of: name, hash: NameIDTable.hash(of: name)) == nil)
            table.add(name, hash: NameIDTable.hash(of: name), id: Int64(index + 1))
        }
        let found = names.map { table.id(of: $0, hash: NameIDTable.hash(of: $0)) }
        #expect(found == (1...names.count).map { Int64($0) })
        #expect(table.count == names.count)
        #expect(table.id(of: NameRef(.device, "s1"), hash: NameIDTable.hash(of: NameRef(.device, "s1"))) == nil)
    }

    /// Names longer than a small string, and non-ASCII ones, hash by their UTF-8 bytes.
    @Test func hashesLongAndNonASCIINames() {
        var table = NameIDTable()
        let long = NameRef(.device, String(repeating: "nvme-controller-", count: 4))
        let accented = NameRef(.region, "mémoire")
        table.add(long, hash: NameIDTable.hash(of: long), id: 1)
        table.add(accented, hash: NameIDTable.hash(of: accented), id: 2)
        #expect(table.id(of: long, hash: NameIDTable.hash(of: long)) == 1)
        #expect(table.id(of: accented, hash: NameIDTable.hash(of: accented)) == 2)
    }
}
