/// One request in flight: a block request, a migration buffer, a peer transfer or an
/// ODP region. The scheduler advances a random one a step at a time, so requests of
/// several queues interleave as they do on real CPUs.
protocol RequestProgram: AnyObject {
    /// The request's next step, or nil when it is done; its memory then goes back to
    /// the pools (never earlier: another request could overwrite data still to be read).
    func nextStep(_ context: TrafficContext) -> WorkloadStep?
}

/// Makes the request a device's driver starts next.
enum RequestFactory {
    static func start(on device: DeviceProfile, _ context: TrafficContext) -> any RequestProgram {
        switch (device.role, device.usesIOVA) {
        case (.odpRegion, true):
            return ODPRegion(device: device, context)
        case (.migrationBuffer, true):
            let buffer = MigrationShape.buffer(for: device, context)
            return TwoStepRequest(device: device, buffer: buffer, pieces: buffer.pagePieces(unit: device.unitBytes), context)
        case (_, true):
            let buffer = shape(of: device.role).buffer(for: device, context)
            return TwoStepRequest(device: device, buffer: buffer, pieces: buffer.segmentPieces, context)
        case (_, false):
            return StreamingRequest(device: device, buffer: shape(of: device.role).buffer(for: device, context), context)
        }
    }

    /// Buffers for a device without IOVA: its own shape, or a block-shaped batch of pages
    /// for ODP, whose fallback maps page by page.
    private static func shape(of role: DeviceRole) -> any BufferShape.Type {
        switch role {
        case .blockQueue, .odpRegion: return BlockShape.self
        case .migrationBuffer: return MigrationShape.self
        case .peerTransfer: return PeerShape.self
        }
    }
}

/// How a kind of driver lays out one request's buffer.
protocol BufferShape {
    static func buffer(for device: DeviceProfile, _ context: TrafficContext) -> RequestBuffer
}
