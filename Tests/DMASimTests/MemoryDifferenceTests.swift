import Testing
@testable import DMASim

/// `verify`/`diff` lines stay readable however many ops wrote a run (issue 17 item 5: a
/// run written by hundreds of ops printed a 10 KB line of writers in address order).
@Suite struct MemoryDifferenceTests {
    @Test func manyWritersAreSortedAndSummarised() {
        let writers = [907, 3, 511, 12, 700, 44].map { LastWriterMapTests.writer($0) }
        let run = MemoryDifference(region: "shm0", phys: 0x1000, length: 0x6000, writers: writers, hasUntrackedBytes: false)
        #expect(run.writerText.hasPrefix("last written by 2 earlier writes (seq 3…12); seq 44 dev-write"))
        #expect(run.writerText.split(separator: ";").count == 5)
        #expect(run.writerText.contains("seq 907 dev-write"))
        #expect(!run.writerText.contains("seq 3 dev-write"))
    }

    @Test func fewWritersAreAllNamedInSeqOrder() {
        let run = MemoryDifference(region: "shm0", phys: 0x1000, length: 0x200,
                                   writers: [LastWriterMapTests.writer(10), LastWriterMapTests.writer(8)], hasUntrackedBytes: false)
        #expect(run.writerText.hasPrefix("last written by seq 8 dev-write"))
        #expect(run.writerText.contains("; seq 10 dev-write"))
    }
}
