import DMASim

// The DMA API calls: the two-step `dma_iova_*` API and the streaming fallback.
extension ScriptPrinter {
    func twoStepFields(of op: Op) -> [String?] {
        switch op.call {
        case .alloc(let alloc):
            return [alloc.state, "dev=" + alloc.device, hex("phys", alloc.phys), size("size", alloc.sizeBytes)]
        case .link(let link):
            return [
                link.state, offset(link.offset), hex("phys", link.phys), size("len", link.length),
                direction(link.direction), attributes(link.attributes),
            ]
        case .sync(let sync):
            return [sync.state, offset(sync.offset), size("len", sync.length)]
        case .unlink(let unlink):
            return [
                unlink.state, offset(unlink.offset), size("len", unlink.length),
                direction(unlink.direction), attributes(unlink.attributes),
            ]
        case .destroy(let destroy):
            return [destroy.state, size("mapped", destroy.mappedLength), direction(destroy.direction), attributes(destroy.attributes)]
        case .free(let free):
            return [free.state]
        default:
            preconditionFailure("not a two-step call: \(op.kind)")
        }
    }

    func streamingFields(of op: Op) -> [String?] {
        switch op.call {
        case .map(let map):
            return [
                map.mapping, "dev=" + map.device, hex("phys", map.phys), size("len", map.length),
                direction(map.direction), attributes(map.attributes),
            ]
        case .unmap(let unmap):
            return [unmap.mapping, size("len", unmap.length), direction(unmap.direction), attributes(unmap.attributes)]
        case .syncForCPU(let sync), .syncForDevice(let sync):
            return [sync.mapping, offset(sync.offset), size("len", sync.length), direction(sync.direction)]
        case .mappingError(let check):
            return [check.mapping]
        default:
            preconditionFailure("not a streaming call: \(op.kind)")
        }
    }
}
