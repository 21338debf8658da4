import DMASim

// The DMA API calls: the two-step `dma_iova_*` API and the streaming fallback.
extension OpReader {
    func twoStepOp() throws(TokenError) -> Op {
        switch kind {
        case .alloc:
            return .alloc(AllocOp(state: name, device: try device(), phys: try number("phys"), sizeBytes: try number("size")))
        case .link:
            return .link(LinkOp(
                state: name, offset: try offset(), phys: try number("phys"), length: try number("len"),
                direction: try direction(), attributes: try attributes()))
        case .sync:
            return .sync(SyncOp(state: name, offset: try offset(), length: try number("len")))
        case .unlink:
            return .unlink(UnlinkOp(
                state: name, offset: try offset(), length: try number("len"),
                direction: try direction(), attributes: try attributes()))
        case .destroy:
            return .destroy(DestroyOp(
                state: name, mappedLength: try number("mapped"), direction: try direction(), attributes: try attributes()))
        default:
            return .free(FreeOp(state: name))
        }
    }

    func streamingOp() throws(TokenError) -> Op {
        switch kind {
        case .map:
            return .map(MapOp(
                mapping: name, device: try device(), phys: try number("phys"), length: try number("len"),
                direction: try direction(), attributes: try attributes()))
        case .unmap:
            return .unmap(UnmapOp(mapping: name, length: try number("len"), direction: try direction(), attributes: try attributes()))
        case .syncForCPU:
            return .syncForCPU(try streamingSync())
        case .syncForDevice:
            return .syncForDevice(try streamingSync())
        default:
            return .mappingError(MappingErrorOp(mapping: name))
        }
    }

    /// `sync-for-cpu` and `sync-for-device` share one shape.
    private func streamingSync() throws(TokenError) -> StreamingSyncOp {
        StreamingSyncOp(mapping: name, offset: try offset(), length: try number("len"), direction: try direction())
    }

    /// `dev=`, required by `alloc` and `map`.
    private func device() throws(TokenError) -> String {
        try fields.required("dev") { (token) throws(TokenError) in try NameSyntax.read(token, as: .device) }
    }
}
