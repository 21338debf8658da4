import Foundation
import Testing

/// `dmajournal state` end to end on fixtures/scripts/state/one-of-each.ops, whose
/// comments say what each structure holds after its last op (seq 19): checkpoint c1
/// follows seq 10, so the state comes from c1 plus 9 ops replayed.
@Suite struct StateCommandTests {
    static func recordFixture() throws -> String {
        try ToolRun.journal(of: "state/one-of-each.ops", prefix: "state")
    }

    @Test func textNamesTheCheckpointAndEverySection() throws {
        let journal = try Self.recordFixture()
        let state = try ToolRun.run(["state", journal])
        #expect(state.status == 0, "\(state.stderr)")
        let lines = state.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(journal) after seq 19: from checkpoint 'c1' (after seq 10), 9 ops replayed")
        for line in [
            "domain of nvme0 on mmu0: lazy, granule 4K, 48-bit aperture, 3 granules mapped",
            "    0xffffc000  3 × 4K  0x100000010000 rwc-",
            "  iotlb, 3 entries (1 stale shown):",
            "    0xffffb000  4K  → 0x100000400000 -wc-  filled at seq 13 (dev-write nvme0 addr=m1 len=4K fill=seed:2)",
            "      STALE: still translates to 0x100000400000; the page table now says not present; "
                + "PTE cleared at seq 14 (unmap m1 len=4K dir=from-device) with no IOTLB invalidation since",
            "    0xffffc000  4K  → 0x100000010000 rwc-  filled at seq 9 (dev-write nvme0 addr=s1 len=8K fill=seed:1)",
            "  flush queues: 0 flushes started, 0 finished, timer armed on cpu 0",
            "      0xffffb000  4K  counter 0  waiting for a flush",
            "domain of tb0 on mmu0: strict, granule 4K, 48-bit aperture, 1 granule mapped",
            "  flush queue: none (strict domain: unmaps invalidate at once)",
            "    order 0 (4K) cpu 0: loaded [0xffffe000] prev []",
            "swiotlb pool 0x1000000 256K: 128 slots, 2 used, next search at slot 2",
            "  slots 0-1  tlb 0x1000000  orig 0x100000010100  alloc_size 3840",
            "  state s1  nvme0  addr 0xffffc000  size 12K  allocated  linked 12K",
            "  mapping m2  tb0  dma 0xfffff100  phys 0x100000010100  len 512  bidirectional  mapped  bounce 0x1000100",
        ] {
            #expect(lines.contains(line), "missing: \(line)\n\(state.stdout)")
        }
    }

    /// Before the checkpoint the replay starts at op 0; `--address` walks the table.
    @Test func walkAroundAnAddressBeforeTheCheckpoint() throws {
        let journal = try Self.recordFixture()
        let state = try ToolRun.run(["state", journal, "--at", "9", "--address", "0xffffc000", "--around", "1",
                                     "--show", "page-table", "--device", "nvme0"])
        #expect(state.status == 0, "\(state.stderr)")
        #expect(state.stdout == """
            \(journal) after seq 9: from op 0, 10 ops replayed

            domain of nvme0 on mmu0: lazy, granule 4K, 48-bit aperture, 3 granules mapped
              page walk (4 levels of 4):
                level 4  iova[47:39] index 0x0  table
                level 3  iova[38:30] index 0x3  table
                level 2  iova[29:21] index 0x1ff  table
                level 1  iova[20:12] index 0x1fc  pte 0x100000010000 rwc-
              page table around it:
                0xffffb000  4K  none
                0xffffc000  4K  0x100000010000 rwc-
                0xffffd000  4K  0x100000011000 rwc-

            """)
    }

    /// JSON keeps 64-bit values as hex strings (`jq` would round numbers past 2^53).
    @Test func jsonCarriesTheSameFacts() throws {
        let journal = try Self.recordFixture()
        let state = try ToolRun.run(["state", journal, "--at", "14", "--show", "iotlb,fq", "--device", "nvme0", "--format", "json"])
        #expect(state.status == 0, "\(state.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [String: Any])
        #expect(object["checkpoint"] as? String == "c1" && object["replayed"] as? Int == 4)
        let domain = try #require((object["domains"] as? [[String: Any]])?.first)
        let stale = try #require((domain["iotlb"] as? [[String: Any]])?.first)
        #expect(stale["iova"] as? String == "0xffffb000" && stale["stale"] as? Bool == true)
        #expect(stale["filled_seq"] as? Int == 13 && stale["stale_seq"] as? Int == 14)
        #expect(stale["stale_op"] as? String == "unmap m1 len=4K dir=from-device")
        #expect((stale["cached"] as? [String: Any])?["phys"] as? String == "0x100000400000")
        #expect(stale["current"] is NSNull)
        let queue = try #require((domain["flush_queues"] as? [[String: Any]])?.first)
        #expect((queue["entries"] as? [[String: Any]])?.first?["iova"] as? String == "0xffffb000")
        #expect(domain["walk"] == nil && object["swiotlb"] == nil)
    }

    /// The fill is in the journal: the iotlb_fills view (schema 017) names its op.
    @Test func fillsAreJournaled() throws {
        let journal = try Self.recordFixture()
        let fills = try SnapshotCommandTests.sqlite(journal, "SELECT seq, device, handle, printf('0x%x', iova), length, printf('0x%x', phys) FROM iotlb_fills")
        #expect(fills == "9|nvme0|s1|0xffffc000|8192|0x100000010000\n13|nvme0|m1|0xffffb000|4096|0x100000400000\n")
    }

    @Test func badRequestsAreOneLineAndExitTwo() throws {
        let journal = try Self.recordFixture()
        let past = try ToolRun.run(["state", journal, "--at", "99"])
        #expect(past.status == 2 && past.stderr == "dmajournal: \(journal): --at 99: the journal's last op is seq 19\n")
        let section = try ToolRun.run(["state", journal, "--show", "tlb"])
        #expect(section.status == 2 && section.stderr.hasPrefix("dmajournal: --show tlb: not a section"))
        let device = try ToolRun.run(["state", journal, "--device", "nic9"])
        #expect(device.status == 2 && device.stderr.contains("--device nic9: no device of that name"))
        let address = try ToolRun.run(["state", journal, "--address", "s1"])
        #expect(address.status == 2)
    }

    /// An imported kernel trace has no recorded outcomes to replay against: its state is the
    /// model's after the scenario `replay` runs. At seq 400 of this lazy capture the CPU's
    /// order-0 magazine ends 0xfffda000 0xfffdb000 0xffffc000, and the kernel's next three
    /// 4 KiB maps (seq 402, 404, 406) got exactly those, top first: `iova_magazine_pop()`
    /// takes the last entry pushed (`__iova_rcache_get`).
    @Test func anImportedTraceShowsTheModelsMachine() throws {
        let journal = ExportCommandTests.temporary("state-imported.db")
        let imported = try ToolRun.run(["import", "fixtures/kernel-captures/7.3-intel-iommu-lazy-nvme-first-1499-lines.txt",
                                        "--journal", journal, "--quiet"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let state = try ToolRun.run(["state", journal, "--at", "400", "--show", "rcache,fq"])
        #expect(state.status == 0, "\(state.stderr)")
        let lines = state.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(journal) after seq 400: from op 0, 401 ops replayed")
        let magazine = try #require(lines.first { $0.hasPrefix("    order 0 (4K) cpu 0: loaded [") }, "\(state.stdout)")
        #expect(magazine.hasSuffix(" 0xfffda000 0xfffdb000 0xffffc000] prev []"), "\(magazine)")
        #expect(lines.contains("  flush queues: 12 flushes started, 12 finished, timer armed on cpu 0"), "\(state.stdout)")
        let beyond = try ToolRun.run(["state", journal, "--at", "100000"])
        #expect(beyond.status == 2)
        #expect(beyond.stderr.split(separator: "\n").count == 1, "\(beyond.stderr)")
        #expect(beyond.stderr.contains("--at 100000: the journal's last op is seq"), "\(beyond.stderr)")
    }
}
