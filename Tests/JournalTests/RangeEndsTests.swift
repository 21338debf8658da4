import DMASim
import Foundation
import Testing
@testable import Journal

/// `range_ends` (schema 7), filled in one pass when the journal is sealed, gives every
/// range the same unmap as the version-1 subquery `mapping_spans` falls back to when the
/// pass has not run: the view is read both ways on the same journal.
@Suite struct RangeEndsTests {
    /// A long-lived state linked page by page and unlinked in pieces, as an ODP region is,
    /// plus the cases the rules single out: a destroy shorter than what was linked (the
    /// ranges beyond it stay mapped, as in the kernel), a handle allocated again at a new
    /// IOVA, a state and a mapping with one name, a streaming mapping remapped, and a
    /// recording that stops with ranges still mapped.
    static let longLivedState: [Op] = {
        let base = Scenarios.shared
        var ops = Scenarios.machine
        ops.append(.alloc(AllocOp(state: "odp", device: "nvme0", phys: base, sizeBytes: 64 * 4096)))
        for page in 0..<64 as Range<UInt64> {
            ops.append(.link(LinkOp(state: "odp", offset: page * 4096, phys: base + page * 4096, length: 4096, direction: .bidirectional)))
        }
        for page in stride(from: 0 as UInt64, to: 64, by: 3) {  // invalidations, some over two pages
            ops.append(.unlink(UnlinkOp(state: "odp", offset: page * 4096, length: page % 2 == 0 ? 8192 : 4096, direction: .bidirectional)))
        }
        ops.append(.link(LinkOp(state: "odp", offset: 0, phys: base, length: 4096, direction: .bidirectional)))  // faulted in again
        ops.append(.destroy(DestroyOp(state: "odp", mappedLength: 32 * 4096, direction: .bidirectional)))  // short: pages 32… stay
        ops.append(.alloc(AllocOp(state: "odp", device: "nvme0", phys: base + 0x100000, sizeBytes: 8192)))  // the name again
        ops.append(.link(LinkOp(state: "odp", offset: 0, phys: base + 0x100000, length: 8192, direction: .toDevice)))
        ops.append(.unlink(UnlinkOp(state: "odp", offset: 4096, length: 4096, direction: .toDevice)))
        ops.append(.map(MapOp(mapping: "odp", device: "nvme0", phys: base + 0x200000, length: 4096, direction: .toDevice)))
        ops.append(.map(MapOp(mapping: "m", device: "nvme0", phys: base + 0x300000, length: 4096, direction: .toDevice)))
        ops.append(.map(MapOp(mapping: "m", device: "nvme0", phys: base + 0x400000, length: 4096, direction: .toDevice)))  // leaks the first
        ops.append(.unmap(UnmapOp(mapping: "m", length: 4096, direction: .toDevice)))
        ops.append(.unmap(UnmapOp(mapping: "odp", length: 4096, direction: .toDevice)))
        ops.append(.unlink(UnlinkOp(state: "missing", offset: 0, length: 4096, direction: .toDevice)))  // rejected
        return ops
    }()

    static let spans = "SELECT mapped_seq, idx, unmapped_seq FROM mapping_spans ORDER BY mapped_seq, idx"

    /// By name, so a failure prints the name rather than every op.
    static let scenarios: [String: [Op]] = [
        "long-lived state": longLivedState, "every kind": Scenarios.everyKind,
        "docs example": Scenarios.docsExample, "nvme-like": Scenarios.nvmeLike(ios: 200),
    ]

    @Test(arguments: scenarios.keys.sorted())
    func storedEndsEqualTheSubquery(_ name: String) throws {
        let ops = try #require(Self.scenarios[name])
        let directory = TemporaryDirectory()
        let path = directory.file("spans.db")
        try Recording.record(ops, to: path, batchSize: 5)
        let stored = try QueryRunner(path: path).run(Self.spans)
        let ended = try QueryRunner(path: path).run("SELECT count(*) FROM range_ends")
        #expect(ended.rows != [[.integer(0)]], "\(name): some range was unmapped")

        let database = try JournalOpener.open(path, readOnly: false).database
        try database.execute("UPDATE run SET range_ends_through = NULL")
        let computed = try QueryRunner(path: path).run(Self.spans)
        #expect(!stored.rows.isEmpty)
        #expect(stored == computed, "\(name)")
    }

    /// The case the table exists for, pinned by value: page 1 of the long-lived state is
    /// ended by the unlink at page 0 (8 KiB), page 32 outlives the short destroy.
    @Test func longLivedRangesEndWhereTheirUnlinkOverlaps() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("odp.db")
        try Recording.record(Self.longLivedState, to: path)
        let runner = try QueryRunner(path: path)
        let firstLink = Scenarios.machine.count + 1
        let firstUnlink = firstLink + 64
        let destroy = firstUnlink + 22 + 1
        func end(page: Int) throws -> [[SQLValue]] {
            try runner.run("SELECT unmapped_seq FROM mapping_spans WHERE mapped_seq = \(firstLink + page)").rows
        }
        #expect(try end(page: 0) == [[.integer(Int64(firstUnlink))]])
        #expect(try end(page: 1) == [[.integer(Int64(firstUnlink))]])
        #expect(try end(page: 2) == [[.integer(Int64(destroy))]])
        #expect(try end(page: 3) == [[.integer(Int64(firstUnlink + 1))]])
        #expect(try end(page: 32) == [[.null]])
    }
}
