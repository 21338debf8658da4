import DMASim
import Testing
@testable import Workloads

/// Options no workload can honour are refused before any step is made, with a message
/// that says why.
@Suite struct WorkloadOptionsTests {
    struct Refusal: CustomTestStringConvertible, Sendable {
        var name: String
        var kind: WorkloadKind
        var options: WorkloadOptions
        var message: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "no devices", kind: .nvme, options: WorkloadOptions(deviceCount: 0), message: "devices must be 1 to 64, got 0"),
        Refusal(name: "a tiny region", kind: .nvme, options: WorkloadOptions(regionSizeBytes: 1 << 20),
                message: "region size must be a multiple of 2 MiB from 64 MiB to 1 PiB"),
        Refusal(name: "a region too small for its buffers", kind: .mixed,
                options: WorkloadOptions(regionSizeBytes: 64 << 20, inFlightPerDevice: 64),
                message: "the region is too small for"),
        Refusal(name: "an 8K granule", kind: .nvme, options: WorkloadOptions(granuleBytes: 8192), message: "granule must be 4K, 16K or 64K"),
        Refusal(name: "a 24-bit mask", kind: .nvme, options: WorkloadOptions(dmaBits: 24), message: "dma-bits must be 32 to 64"),
        Refusal(name: "ODP never destroys", kind: .rdmaODP,
                options: WorkloadOptions(injections: [InjectionSpec(.lateAccess, trigger: .atStep(0))]),
                message: "the rdma-odp workload cannot inject late-access; workloads that can: nvme, vfio-migration, gpu-p2p, mixed"),
        Refusal(name: "missing sync without needs-sync-map", kind: .nvme,
                options: WorkloadOptions(needsSyncMap: false, injections: [InjectionSpec(.missingSync, trigger: .atStep(0))]),
                message: "cannot inject missing-sync: no such device sits behind a needs-sync-map IOMMU"),
        Refusal(name: "misuse without an IOMMU", kind: .nvme,
                options: WorkloadOptions(iommuMode: .passthrough, injections: [InjectionSpec(.doubleFree, trigger: .atStep(0))]),
                message: "cannot inject double-free: no device has an IOMMU DMA domain"),
        Refusal(name: "use-after-unlink with only a block device", kind: .mixed,
                options: WorkloadOptions(deviceCount: 1, injections: [InjectionSpec(.useAfterUnlink, trigger: .atStep(0))]),
                message: "no device with an IOMMU DMA domain has a driver that makes the calls it needs"),
    ]

    @Test(arguments: refusals)
    func refuses(_ test: Refusal) {
        #expect {
            _ = try test.kind.generator.steps(test.options)
        } throws: { error in
            "\(error)".contains(test.message)
        }
    }

    /// An injection the topology cannot commit as declared turns on what it needs.
    @Test func missingSyncTurnsOnNeedsSyncMap() throws {
        let options = WorkloadOptions(injections: [InjectionSpec(.missingSync, trigger: .atStep(0))])
        let topology = try WorkloadKind.nvme.generator.steps(options).topology
        #expect(topology.devices.filter(\.usesIOVA).allSatisfy { $0.needsSyncMap })
    }

    @Test func overridesReachEveryIOMMUAndDevice() throws {
        let options = WorkloadOptions(iommuMode: .strict, needsSyncMap: true, granuleBytes: 16384, dmaBits: 48)
        let topology = try WorkloadKind.mixed.generator.steps(options).topology
        for device in topology.devices {
            #expect(device.spec.dmaBits == 48)
            guard let iommu = device.iommu else { continue }
            #expect(iommu.mode == .strict && iommu.needsSyncMap && iommu.granuleBytes == 16384)
        }
        #expect(topology.devices.contains { $0.iommu == nil }, "iommu=none stays so")
    }
}
