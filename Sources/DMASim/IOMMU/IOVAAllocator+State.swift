/// The allocator as it stands: the tree's nodes (allocated, reserved and rcache-held
/// ranges, and the anchor), the cached nodes, `max32_alloc_size` and every magazine with
/// its pfns in order — everything a later `alloc_iova_fast` reads, so it returns the IOVA
/// the uninterrupted run would have.
extension IOVAAllocator {
    func encode(to writer: inout StateWriter) {
        writer.varint(startPfn)
        writer.varint(dma32BitPfn)
        writer.varint(max32AllocSize)
        writer.varint(cachedNodeKey)
        writer.varint(cached32NodeKey)
        // Nodes by ascending pfn: densely packed IOVA space costs two bytes a node.
        let nodes = tree.elements
        writer.varint(nodes.count)
        var previous: UInt64?
        for node in nodes { writer.disjointRange(node.pfnLo, node.pfnHi, after: &previous) }
        writer.array(rangeCaches) { $1.encode(to: &$0) }
    }

    init(from reader: inout StateReader, version: UInt32) throws(EngineStateError) {
        startPfn = try reader.varint("allocator start pfn")
        dma32BitPfn = try reader.varint("allocator dma_32bit_pfn")
        max32AllocSize = try reader.varint("allocator max32_alloc_size")
        let cachedStart = reader.offset
        cachedNodeKey = try reader.varint("allocator cached node")
        cached32NodeKey = try reader.varint("allocator cached32 node")
        tree = try Self.readTree(from: &reader)
        // Every walk starts from a cached node and ends on the anchor: both must be there.
        guard tree.find(cachedNodeKey) != nil, tree.find(cached32NodeKey) != nil else {
            throw reader.invalid("allocator cached node", "names no node of the tree", at: cachedStart)
        }
        let cachesStart = reader.offset
        rangeCaches = try reader.array("allocator rcaches") { reader throws(EngineStateError) in
            try IOVARangeCache(from: &reader, version: version)
        }
        guard rangeCaches.count == Self.rangeCacheMaxOrder else {
            throw reader.invalid("allocator rcaches", "\(rangeCaches.count) orders, not \(Self.rangeCacheMaxOrder)", at: cachesStart)
        }
    }

    private static func readTree(from reader: inout StateReader) throws(EngineStateError) -> BlockedSortedArray<IOVANode> {
        let start = reader.offset
        let count = try reader.count("allocator nodes", minimumBytes: 2)
        var tree = BlockedSortedArray<IOVANode>()
        var previous: UInt64?
        var lastNode: IOVANode?
        for _ in 0..<count {
            let range = try reader.disjointRange("allocator node", after: &previous)
            lastNode = IOVANode(pfnLo: range.lowerBound, pfnHi: range.upperBound)
            tree.insert(lastNode!)
        }
        guard lastNode == IOVANode(pfnLo: anchorPfn, pfnHi: anchorPfn) else {
            throw reader.invalid("allocator nodes", "the last node is not the anchor", at: start)
        }
        return tree
    }
}
