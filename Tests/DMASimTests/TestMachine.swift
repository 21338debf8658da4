@testable import DMASim

/// A small machine for engine tests: a 1 TiB shared region (no `struct page`, outside the
/// direct map), 3 GiB of RAM below 4 GiB (so an x86-64 machine keeps no default swiotlb
/// pool: the kernel makes one only when RAM reaches past 4 GiB), one IOMMU and devices.
final class TestMachine {
    let engine = Engine()
    static let shared: UInt64 = 0x1000_0000_0000
    static let ram: UInt64 = 0x1000_0000
    /// RAM the kernel owns and maps linearly, for buffers the tests bounce (a bounce of
    /// shared memory oopses): inside ram0, 2 GiB above its start.
    static let bounceRAM: UInt64 = ram + 0x8000_0000

    /// `machine`: a `machine` line first (kernel=6.16, cpus=…); nil keeps the defaults
    /// (7.3, one CPU).
    init(machine: MachineSpec? = nil, iommu: IOMMUSpec? = IOMMUSpec(name: "mmu0"),
         devices: [DeviceSpec] = [DeviceSpec(name: "nvme0", iommu: "mmu0")]) {
        if let machine { expectOK(.machine(machine)) }
        expectOK(.region(RegionSpec(name: "shm0", base: Self.shared, sizeBytes: 1 << 40, kind: .shared)))
        expectOK(.region(RegionSpec(name: "ram0", base: Self.ram, sizeBytes: 3 << 30, kind: .ram)))
        if let iommu { expectOK(.iommu(iommu)) }
        for device in devices { expectOK(.device(device)) }
    }

    convenience init(mode: IOMMUMode, needsSyncMap: Bool = false, device: DeviceSpec = DeviceSpec(name: "nvme0", iommu: "mmu0"),
                     kernel: KernelVersion? = nil) {
        self.init(machine: kernel.map { MachineSpec(kernel: $0) }, iommu: IOMMUSpec(name: "mmu0", mode: mode, needsSyncMap: needsSyncMap),
                  devices: [device])
    }

    @discardableResult
    func run(_ op: Op) -> Outcome { engine.apply(op) }

    private func expectOK(_ op: Op) {
        let outcome = engine.apply(op)
        precondition(outcome.status == .ok, "topology op failed: \(outcome.status)")
    }

    // MARK: op builders

    @discardableResult
    func alloc(_ state: String, dev: String = "nvme0", phys: UInt64 = shared, size: UInt64) -> Outcome {
        run(.alloc(AllocOp(state: state, device: dev, phys: phys, sizeBytes: size)))
    }

    @discardableResult
    func link(_ state: String, off: UInt64 = 0, phys: UInt64 = shared, len: UInt64, dir: DMADirection = .bidirectional,
              attrs: DMAAttributes = []) -> Outcome {
        run(.link(LinkOp(state: state, offset: off, phys: phys, length: len, direction: dir, attributes: attrs)))
    }

    @discardableResult
    func sync(_ state: String, off: UInt64 = 0, len: UInt64) -> Outcome {
        run(.sync(SyncOp(state: state, offset: off, length: len)))
    }

    @discardableResult
    func unlink(_ state: String, off: UInt64 = 0, len: UInt64, dir: DMADirection = .bidirectional,
                attrs: DMAAttributes = []) -> Outcome {
        run(.unlink(UnlinkOp(state: state, offset: off, length: len, direction: dir, attributes: attrs)))
    }

    @discardableResult
    func destroy(_ state: String, mapped: UInt64, dir: DMADirection = .bidirectional) -> Outcome {
        run(.destroy(DestroyOp(state: state, mappedLength: mapped, direction: dir)))
    }

    @discardableResult
    func free(_ state: String) -> Outcome { run(.free(FreeOp(state: state))) }

    @discardableResult
    func map(_ mapping: String, dev: String = "nvme0", phys: UInt64, len: UInt64, dir: DMADirection = .bidirectional) -> Outcome {
        run(.map(MapOp(mapping: mapping, device: dev, phys: phys, length: len, direction: dir)))
    }

    @discardableResult
    func unmap(_ mapping: String, len: UInt64, dir: DMADirection = .bidirectional, attrs: DMAAttributes = []) -> Outcome {
        run(.unmap(UnmapOp(mapping: mapping, length: len, direction: dir, attributes: attrs)))
    }

    @discardableResult
    func mapAttrs(_ mapping: String, dev: String = "nvme0", phys: UInt64, len: UInt64, dir: DMADirection = .bidirectional,
                  attrs: DMAAttributes) -> Outcome {
        run(.map(MapOp(mapping: mapping, device: dev, phys: phys, length: len, direction: dir, attributes: attrs)))
    }

    @discardableResult
    func syncForCPU(_ mapping: String, off: UInt64 = 0, len: UInt64, dir: DMADirection) -> Outcome {
        run(.syncForCPU(StreamingSyncOp(mapping: mapping, offset: off, length: len, direction: dir)))
    }

    @discardableResult
    func syncForDevice(_ mapping: String, off: UInt64 = 0, len: UInt64, dir: DMADirection) -> Outcome {
        run(.syncForDevice(StreamingSyncOp(mapping: mapping, offset: off, length: len, direction: dir)))
    }

    @discardableResult
    func checkError(_ mapping: String) -> Outcome { run(.mappingError(MappingErrorOp(mapping: mapping))) }

    /// Declares a swiotlb pool (default base 16 MiB, outside the machine's regions).
    @discardableResult
    func swiotlb(size: UInt64 = 256 * 1024, base: UInt64 = SwiotlbSpec.defaultBase, force: Bool = false) -> Outcome {
        run(.swiotlb(SwiotlbSpec(sizeBytes: size, base: base, force: force)))
    }

    @discardableResult
    func devWrite(_ dev: String, _ address: DeviceAddress, len: UInt64, fill: Fill) -> Outcome {
        run(.deviceWrite(DeviceWriteOp(device: dev, address: address, length: len, fill: fill)))
    }

    @discardableResult
    func devWrite(_ address: DeviceAddress, len: UInt64, fill: Fill) -> Outcome {
        devWrite("nvme0", address, len: len, fill: fill)
    }

    @discardableResult
    func devRead(_ dev: String, _ address: DeviceAddress, len: UInt64) -> Outcome {
        run(.deviceRead(DeviceReadOp(device: dev, address: address, length: len)))
    }

    @discardableResult
    func devRead(_ address: DeviceAddress, len: UInt64) -> Outcome { devRead("nvme0", address, len: len) }

    @discardableResult
    func cpuWrite(_ phys: UInt64, len: UInt64, fill: Fill) -> Outcome {
        run(.cpuWrite(CPUWriteOp(phys: phys, length: len, fill: fill)))
    }

    @discardableResult
    func cpuRead(_ phys: UInt64, len: UInt64) -> Outcome { run(.cpuRead(CPUReadOp(phys: phys, length: len))) }

    @discardableResult
    func flush(_ iommu: String = "mmu0") -> Outcome { run(.flush(FlushOp(iommu: iommu))) }

    /// The misuse classes an outcome reported, in order.
    static func classes(_ outcome: Outcome) -> [MisuseClass] { outcome.findings.map(\.misuse) }
}

extension DeviceAddress {
    static func s(_ handle: String, _ offset: UInt64 = 0) -> DeviceAddress { .state(handle, offset: offset) }
    static func m(_ handle: String, _ offset: UInt64 = 0) -> DeviceAddress { .mapping(handle, offset: offset) }
}

extension OutcomeStatus {
    var faultKind: FaultKind? {
        if case .fault(let fault) = self { return fault.kind }
        return nil
    }
}
