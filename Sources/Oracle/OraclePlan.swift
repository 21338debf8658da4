import DMASim
import OpScript

/// What the kernel oracle will do for one script: the guest to boot, the memory that
/// stands for the script's regions, the devices, and one entry per script line, either a
/// command for the `dmaoracle` module (oracle/module) or the reason it cannot be expressed.
public struct OraclePlan: Sendable, Equatable {
    public var guest: GuestConfig
    public var devices: [DevicePlan]
    public var extents: [Extent]
    /// Per op line of the script, in order (topology lines included).
    public var lines: [LinePlan]
    /// The bytes every `cpu-write` and `dev-write` puts in memory, rendered here with the
    /// model's own `Fill`, so both sides write identical bytes.
    public var data: [UInt8]
    /// Why the whole script cannot run on the kernel; nil when at least part of it can.
    public var scriptSkip: String?
    /// Facts about the translation a reader should know (what the guest cannot mirror).
    public var notes: [String]

    public init(
        guest: GuestConfig = GuestConfig(), devices: [DevicePlan] = [], extents: [Extent] = [],
        lines: [LinePlan] = [], data: [UInt8] = [], scriptSkip: String? = nil, notes: [String] = []
    ) {
        self.guest = guest; self.devices = devices; self.extents = extents; self.lines = lines
        self.data = data; self.scriptSkip = scriptSkip; self.notes = notes
    }

    /// The commands for the module: setup first (devices, memory), then the ops.
    public var commands: [String] {
        var out = devices.map(\.command) + extents.map(\.command)
        if guest.reportsSwiotlb { out.append("swiotlb") }
        for line in lines { if case .command(let text, _) = line.action { out.append(text) } }
        return out
    }

    /// The script lines that become kernel commands.
    public var commandLines: [LinePlan] { lines.filter(\.isCommand) }
}

/// The QEMU machine and kernel command line (oracle/run.sh reads them from guest.env).
public struct GuestConfig: Sendable, Equatable {
    public enum IOMMUKind: String, Sendable, Equatable { case intel, virtio, none }
    public var iommu: IOMMUKind = .intel
    /// intel-iommu's `aw-bits`: the domain aperture (39 or 48 bits in QEMU 7.2).
    public var addressWidthBits: Int = 48
    /// Extra kernel arguments (`swiotlb=`, `iommu.forcedac=1`).
    public var kernelArguments: [String] = []
    /// QEMU's -m: 1G, or 5G when an extent must lie above 4 GiB.
    public var memory = "1G"
    /// Kernel modules the guest loads before anything else.
    public var modules: [String] = []
    public var reportsSwiotlb = true
    /// The pool the model's boot makes where the script declared none (x86 with RAM past
    /// 4 GiB, `pci_swiotlb_detect()`), which the guest is given with `swiotlb=N,force`.
    public var bootSwiotlb: SwiotlbSpec?

    public init() {}
}

/// One script device as an `edu` in the guest.
public struct DevicePlan: Sendable, Equatable {
    public var index: Int
    public var name: String
    /// PCI slot and function in hex, "10.0": functions of one slot share an IOMMU group
    /// (how a script's `group=` is mirrored). "bypass:N.0" is a device no IOMMU translates
    /// (`iommu=none` beside IOMMU devices): behind root port N of a PCIe expander bus that
    /// QEMU marks `bypass_iommu`, left out of the ACPI DMAR table's device scopes.
    public var pciAddress: String
    public var dmaBits: Int
    public var untrusted: Bool
    /// The group's default domain type, written before the driver binds: DMA, DMA-FQ or
    /// identity; nil without an IOMMU.
    public var domainType: String?
    /// The script IOMMU the device sits behind; nil for `iommu=none`.
    public var iommu: String?

    public var bdf: String {
        guard pciAddress.hasPrefix("bypass:"), let port = Int(pciAddress.dropFirst(7).prefix { $0 != "." }) else {
            return "0000:00:" + pciAddress
        }
        // the firmware numbers the root ports' secondary buses from the expander's 0x80 + 1
        return "0000:" + String(0x81 + port, radix: 16) + ":00.0"
    }
    /// Whether its DMA addresses are physical addresses (no IOMMU, or an identity domain).
    public var isDirect: Bool { domainType == nil || domainType == "identity" }

    /// `DMA_BIT_MASK(dmaBits)`.
    public var dmaMask: UInt64 { dmaBits >= 64 ? .max : (1 << UInt64(dmaBits)) - 1 }

    /// `dma_set_min_align_mask()`: the script device's `min-align-mask=` (0, the kernel's
    /// default, when not given); the module sets the same.
    public var minAlignMask: UInt64 = 0

    var command: String { "dev \(index) \(bdf) \(dmaBits) \(untrusted ? 1 : 0) \(hex(minAlignMask))" }
}

/// A page-aligned stretch of a script region that ops touch, backed in the guest.
public struct Extent: Sendable, Equatable {
    public enum Backing: Sendable, Equatable {
        /// Ordinary RAM (alloc_pages): a `ram` region.
        case ram
        /// RAM above `mem=`, no struct page: a `shared` region.
        case hidden(guestPhys: UInt64)
    }
    public var index: Int
    public var region: String
    /// The script's physical address of the first byte (page-aligned).
    public var scriptBase: UInt64
    public var size: UInt64
    public var backing: Backing

    public func contains(_ phys: UInt64, length: UInt64) -> Bool {
        phys >= scriptBase && length <= size && phys - scriptBase <= size - length
    }

    var command: String {
        switch backing {
        case .ram: return "mem \(index) ram \(hex(size))"
        case .hidden(let phys): return "mem \(index) hidden \(hex(phys)) \(hex(size))"
        }
    }
}

/// One script line and what the oracle does with it.
public struct LinePlan: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// A topology line, mirrored by the guest's configuration.
        case topology
        /// A command for the module; `memory` when it reports what memory holds after it.
        case command(String, memory: Bool)
        /// The kernel cannot do what the line says; the reason, for the report.
        case skipped(String)
    }
    public var line: ScriptLine
    public var action: Action

    public var isCommand: Bool { if case .command = action { return true } else { return false } }
    public var skipReason: String? { if case .skipped(let why) = action { return why } else { return nil } }
}

func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
