import DMASim

// Topology lines. Defaults come from the DMASim specs' initialisers, so the format and
// the engine cannot disagree about them.
extension OpReader {
    func topologyOp() throws(TokenError) -> Op {
        switch kind {
        case .machine: return .machine(try machine())
        case .region: return .region(try region())
        case .iommu: return .iommu(try iommu())
        case .device: return .device(try device())
        default: return .swiotlb(try swiotlb())
        }
    }

    /// `machine [arch=] [kernel=] [cpus=] [hz=] [dma-debug=on|off] [tick-phase=DURATION]`:
    /// the defaults are `MachineSpec.init`'s, and HZ follows the arch when not given.
    private func machine() throws(TokenError) -> MachineSpec {
        let arch = try fields.optional("arch", as: WordSyntax.architecture) ?? MachineSpec().arch
        var spec = MachineSpec(arch: arch)
        spec.kernel = try fields.optional("kernel", as: WordSyntax.kernelVersion) ?? spec.kernel
        spec.cpuCount = try fields.optional("cpus") { (token) throws(TokenError) in
            try ScriptNumber.read(token, in: 1...UInt64(MachineSpec.maxCPUCount), as: "a CPU count from 1 to \(MachineSpec.maxCPUCount)")
        } ?? spec.cpuCount
        spec.hz = try fields.optional("hz", as: Self.hz) ?? spec.hz
        spec.dmaDebug = try fields.optional("dma-debug", as: WordSyntax.onOff) ?? spec.dmaDebug
        spec.tickPhase = try fields.optional("tick-phase", as: Self.time) ?? spec.tickPhase
        return spec
    }

    /// `hz=`: one of the `CONFIG_HZ` choices.
    private static func hz(_ token: Token) throws(TokenError) -> Int {
        let choices = MachineSpec.hzChoices.map(String.init)
        guard let value = Int(token.text), MachineSpec.hzChoices.contains(value) else {
            throw .expected(WordSyntax.listing(choices, as: "a CONFIG_HZ"), found: token)
        }
        return value
    }

    /// `region NAME base= size= kind=ram|shared|mmio`.
    private func region() throws(TokenError) -> RegionSpec {
        RegionSpec(
            name: name, base: try number("base"), sizeBytes: try number("size"),
            kind: try fields.required("kind", as: WordSyntax.regionKind))
    }

    /// `iommu NAME [mode=] [granule=] [page-sizes=] [aperture-bits=] [needs-sync-map] [fq-size=] [fq-timer=kernel|explicit] [forcedac] [reserve=]`.
    /// Without `page-sizes=` the IOMMU has its granule's default (`PageSizes.defaultBitmap`).
    private func iommu() throws(TokenError) -> IOMMUSpec {
        var spec = IOMMUSpec(name: name)
        spec.mode = try fields.optional("mode", as: WordSyntax.iommuMode) ?? IOMMUMode.default(for: architecture)
        spec.granuleBytes = try fields.optional("granule", as: Self.granule) ?? spec.granuleBytes
        spec.pageSizes = try fields.optional("page-sizes", as: PageSizesSyntax.read)
            ?? PageSizes.defaultBitmap(granuleBytes: spec.granuleBytes)
        spec.apertureBits = try fields.optional("aperture-bits", as: Self.bitCount) ?? spec.apertureBits
        spec.needsSyncMap = fields.flag("needs-sync-map") != nil
        spec.flushQueueSlots = try fields.optional("fq-size", as: Self.flushQueueSlots) ?? spec.flushQueueSlots
        spec.forceDAC = fields.flag("forcedac") != nil
        spec.explicitFlushTimer = try fields.optional("fq-timer", as: Self.flushTimer) ?? spec.explicitFlushTimer
        spec.reservedRanges = try fields.optional("reserve", as: RangeListSyntax.read) ?? []
        return spec
    }

    /// `device NAME iommu=NAME|none [dma-bits=] [coherent|noncoherent] [untrusted] [bus=] [group=] [min-align-mask=]`.
    private func device() throws(TokenError) -> DeviceSpec {
        var spec = DeviceSpec(name: name, iommu: try fields.required("iommu", as: Self.iommuName))
        spec.dmaBits = try fields.optional("dma-bits", as: Self.bitCount) ?? spec.dmaBits
        spec.coherent = try coherence() ?? spec.coherent
        spec.untrusted = fields.flag("untrusted") != nil
        spec.bus = try fields.optional("bus", as: WordSyntax.bus) ?? spec.bus
        spec.group = try nameValue("group", as: .group)
        spec.minAlignMask = try fields.optional("min-align-mask", as: Self.minAlignMask) ?? spec.minAlignMask
        return spec
    }

    /// `min-align-mask=`: what `dma_set_min_align_mask()` takes, a mask of low bits.
    private static func minAlignMask(_ token: Token) throws(TokenError) -> UInt64 {
        let mask = try ScriptNumber.read(token)
        guard DeviceSpec.isValidMinAlignMask(mask) else {
            throw .expected("a mask of low bits below 2^32 (0, 0x7ff, 0xfff, …)", found: token)
        }
        return mask
    }

    /// `swiotlb size= [base=] [force]`, or `swiotlb noforce` alone.
    private func swiotlb() throws(TokenError) -> SwiotlbSpec {
        if let noForce = fields.flag("noforce") {
            guard !fields.hasKey("size"), !fields.hasKey("base"), fields.flag("force") == nil else {
                throw .expected("noforce alone (no pool: no size, base or force)", found: noForce)
            }
            return .noForce
        }
        let size = try fields.required("size") { (token) throws(TokenError) -> UInt64 in
            let bytes = try ScriptNumber.read(token)
            guard bytes > 0 else { throw .expected("a pool size above 0 (swiotlb noforce for none)", found: token) }
            return bytes
        }
        return SwiotlbSpec(
            sizeBytes: size,
            base: try fields.optional("base", as: ScriptNumber.read(_:)) ?? SwiotlbSpec.defaultBase,
            force: fields.flag("force") != nil)
    }

    /// `coherent` or `noncoherent`, at most one of them; nil when neither is given.
    private func coherence() throws(TokenError) -> Bool? {
        switch (fields.flag("coherent"), fields.flag("noncoherent")) {
        case (.some(let first), .some(let second)):
            let later = first.column > second.column ? first : second
            throw .expected("one of coherent or noncoherent", found: later)
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return nil
        }
    }

    /// `iommu=none` puts the device on dma-direct; anything else names an IOMMU.
    private static func iommuName(_ token: Token) throws(TokenError) -> String? {
        token.text == "none" ? nil : try NameSyntax.read(token, as: .iommu)
    }

    /// `granule=`: a power of two of at least 4K, the smallest page an IOMMU maps.
    private static func granule(_ token: Token) throws(TokenError) -> UInt64 {
        let bytes = try ScriptNumber.read(token)
        guard bytes >= 4096, bytes.nonzeroBitCount == 1 else {
            throw .expected("a granule that is a power of two of at least 4K", found: token)
        }
        return bytes
    }

    /// `dma-bits=`, `aperture-bits=`: an address width.
    private static func bitCount(_ token: Token) throws(TokenError) -> Int {
        try ScriptNumber.read(token, in: 1...64, as: "a bit count from 1 to 64")
    }

    /// `fq-timer=kernel` (the engine runs fq_timer at its tick) or `explicit` (`flush` ops do).
    private static func flushTimer(_ token: Token) throws(TokenError) -> Bool {
        switch token.text {
        case "kernel": return false
        case "explicit": return true
        default: throw .expected(WordSyntax.listing(["kernel", "explicit"], as: "a flush timer"), found: token)
        }
    }

    /// `fq-size=`: the kernel's rings hold 256 (per CPU) or 32768 (single queue) entries;
    /// 64K leaves room to experiment without inviting absurd rings.
    private static func flushQueueSlots(_ token: Token) throws(TokenError) -> Int {
        try ScriptNumber.read(token, in: 1...65536, as: "a flush-queue size from 1 to 64K")
    }
}
