extension DMADirection: StateTagged {
    /// The kernel's numbering: DMA_BIDIRECTIONAL 0, DMA_TO_DEVICE 1, DMA_FROM_DEVICE 2, DMA_NONE 3.
    static let stateOrder: [DMADirection] = [.bidirectional, .toDevice, .fromDevice, .none]
}
