import DMASim
import Testing
@testable import Workloads

/// Request buffers have the sizes, counts and layout the kernel code they model has.
@Suite struct BufferShapeTests {
    /// A traffic context over `kind`'s topology, and its first device.
    static func context(_ kind: WorkloadKind, _ options: WorkloadOptions = WorkloadOptions()) throws -> (TrafficContext, DeviceProfile) {
        let generator = BuiltInWorkload(kind)
        let topology = try WorkloadTopology(template: generator.template, options: options)
        var placement = WorkloadRandom(seed: 1, stream: RandomStream.placement)
        let pools = try MemoryPools(topology: topology, random: &placement)
        return (TrafficContext(options: options, pools: pools, sharedBase: topology.shared.base), topology.devices[0])
    }

    /// `count` buffers of `shape`, each released before the next is made.
    static func buffers(_ shape: any BufferShape.Type, _ kind: WorkloadKind, count: Int = 3000) throws -> [RequestBuffer] {
        let (context, device) = try context(kind)
        return (0..<count).map { _ in
            let buffer = shape.buffer(for: device, context)
            buffer.release(into: &context.pools)
            return buffer
        }
    }

    @Test func blockRequestsAre4KTo1MiBIn1To128Segments() throws {
        let buffers = try Self.buffers(BlockShape.self, .nvme)
        for buffer in buffers {
            #expect((4096...(1 << 20)).contains(buffer.totalBytes))
            #expect((1...128).contains(buffer.segments.count))
            Self.expectScattered(buffer.segments, unit: 4096)
        }
        // The range is used, not just allowed.
        #expect(buffers.contains { $0.segments.count == 1 } && buffers.contains { $0.segments.count > 64 })
        #expect(buffers.contains { $0.totalBytes == 4096 } && buffers.contains { $0.totalBytes > 512 << 10 })
        #expect(buffers.contains { $0.deviceReads } && buffers.contains { !$0.deviceReads })
    }

    @Test func migrationBuffersAreLinkedPageByPage() throws {
        for buffer in try Self.buffers(MigrationShape.self, .vfioMigration, count: 500) {
            #expect(((64 << 10)...(8 << 20)).contains(buffer.totalBytes))
            #expect(buffer.segments.allSatisfy { $0.length <= 16 * 4096 })
            let pieces = buffer.pagePieces(unit: 4096)
            #expect(pieces.count == Int(buffer.totalBytes / 4096))
            #expect(pieces.allSatisfy { $0.length == 4096 && $0.phys % 4096 == 0 })
        }
    }

    @Test func peerTransfersMixBARPiecesWithSharedMemory() throws {
        let bar = WorkloadTopology.barRegion
        let buffers = try Self.buffers(PeerShape.self, .gpuP2P)
        for buffer in buffers {
            #expect((1...16).contains(buffer.segments.count))
            for segment in buffer.segments where segment.attributes.contains(.mmio) {
                #expect(segment.phys >= bar.base && segment.phys + segment.length <= bar.end!)
                #expect(segment.length <= 64 << 10)
            }
            #expect(buffer.segments.filter { !$0.attributes.contains(.mmio) }.allSatisfy { $0.phys >= WorkloadTopology.sharedBase })
        }
        #expect(buffers.contains { buffer in buffer.segments.contains { $0.attributes.contains(.mmio) } && buffer.segments.contains { $0.attributes.isEmpty } })
    }

    /// Segments are unit aligned, in order, and never adjacent (adjacent pages would be one
    /// merged segment), and IOVA offsets follow one another.
    static func expectScattered(_ segments: [Segment], unit: UInt64) {
        for (previous, next) in zip(segments, segments.dropFirst()) {
            #expect(next.phys >= previous.phys + previous.length + unit)
            #expect(next.offset == previous.offset + previous.length)
        }
        #expect(segments.allSatisfy { $0.phys % unit == 0 && $0.length % unit == 0 })
    }

    /// In the stream itself: each block request's state has 1 to 128 links and 4 KiB to
    /// 1 MiB of IOVA; each ODP region is 16 MiB to 4 GiB, linked page by page inside it.
    @Test func streamsKeepTheirRequestsInRange() throws {
        for kind in [WorkloadKind.nvme, .rdmaODP] {
            var allocated: [String: UInt64] = [:]
            var links: [String: Int] = [:]
            for step in try kind.generator.steps(WorkloadOptions(opCount: 20_000)) {
                if case .alloc(let call) = step.op.call { allocated[call.state] = call.sizeBytes }
                guard case .link(let call) = step.op.call else { continue }
                links[call.state, default: 0] += 1
                #expect(call.offset + call.length <= allocated[call.state]!)
                if kind == .rdmaODP { #expect(call.length == 4096 && call.offset % 4096 == 0) }
            }
            let sizes = kind == .nvme ? UInt64(4096)...(1 << 20) : (16 << 20)...(4 << 30)
            #expect(allocated.values.allSatisfy { sizes.contains($0) })
            if kind == .nvme { #expect(links.values.allSatisfy { (1...128).contains($0) }) }
        }
    }
}

extension BufferShapeTests {
    /// A 16 MiB region of 64 KiB pages has only 256 of them: at most a quarter are
    /// linked at once, so there is always a page left to fault in.
    @Test func odpRegionsStaySparseWithLargeGranules() throws {
        var allocated: [String: UInt64] = [:]
        var linked: [String: Int] = [:]
        let options = WorkloadOptions(opCount: 30_000, granuleBytes: 64 << 10, inFlightPerDevice: 1)
        for step in try WorkloadKind.rdmaODP.generator.steps(options) {
            switch step.op.call {
            case .alloc(let call): allocated[call.state] = call.sizeBytes
            case .link(let call):
                linked[call.state, default: 0] += 1
                #expect(UInt64(linked[call.state]!) <= max(1, allocated[call.state]! / (64 << 10) / 4))
            case .unlink(let call): linked[call.state, default: 0] -= 1
            default: break
            }
        }
    }
}

extension BufferShapeTests {
    /// `hmm_dma_map_pfn()` / `hmm_dma_unmap_pfn()` (mm/hmm.c): every ODP link and unlink
    /// carries `DMA_ATTR_REQUIRE_COHERENT`, and on the coherent mlx5 ports every link works.
    @Test func odpLinksAndUnlinksRequireCoherence() throws {
        var linkCount = 0, unlinkCount = 0
        let engine = Engine()
        for step in try WorkloadKind.rdmaODP.generator.steps(WorkloadOptions(opCount: 5_000)) {
            let outcome = engine.apply(step.op)
            switch step.op.call {
            case .link(let call):
                linkCount += 1
                #expect(call.attributes == .requireCoherent)
                #expect(outcome.status == .ok)
            case .unlink(let call):
                unlinkCount += 1
                #expect(call.attributes == .requireCoherent)
            default: break
            }
        }
        #expect(linkCount > 0 && unlinkCount > 0)
    }
}
