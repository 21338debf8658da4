import OpScript

/// The comparison as text: a header naming the guest and what the model was told, one
/// line per script line (details under a disagreement), and a summary.
public struct OracleReport {
    public var quiet = false

    public init(quiet: Bool = false) { self.quiet = quiet }

    public func header(plan: OraclePlan, log: KernelLog, topology: ModelSide.GuestTopology) -> String {
        var out = "kernel \(log.kernelRelease ?? "?") under QEMU: \(guestName(plan.guest))\n"
        for device in plan.devices {
            let guest = log.devices[device.index]
            out += "  device \(device.name) -> edu \(device.bdf) (\(guest?.domainType ?? device.domainType ?? "no IOMMU"), dma-bits \(device.dmaBits)\(device.untrusted ? ", untrusted" : ""))\n"
        }
        for extent in plan.extents {
            let backing: String
            switch extent.backing {
            case .ram: backing = "RAM at \(log.extentPhys[extent.index].map(hex) ?? "?")"
            case .hidden(let phys): backing = "RAM above mem= at \(hex(phys)) (no struct page)"
            }
            out += "  memory \(extent.region) [\(hex(extent.scriptBase)), +\(hex(extent.size))) -> \(backing)\n"
        }
        for (iommu, ranges) in topology.reserved.sorted(by: { $0.key < $1.key }) {
            let bits = topology.apertureBits[iommu].map { "aperture-bits=\($0) " } ?? ""
            out += "  model's \(iommu) given the guest's \(bits)reserve=" + ranges.map { "\(hex($0.lowerBound))-\(hex($0.upperBound))" }.joined(separator: ",") + "\n"
        }
        for note in plan.notes { out += "  note: \(note)\n" }
        for error in log.setupErrors { out += "  guest: \(error)\n" }
        return out
    }

    public func lines(_ comparison: OracleComparison) -> String {
        var out = ""
        let printer = ScriptPrinter()
        for row in comparison.lines {
            let text = printer.line(row.line.op)
            let number = String(row.line.lineNumber).leftPadded(to: 4)
            switch row.verdict {
            case .agree:
                guard !quiet else { continue }
                out += "\(number)  agree   \(text)  => \(row.kernel)\n"
                for detail in row.details where detail.hasPrefix("kernel:") { out += "              \(detail)\n" }
            case .differ(let aspects):
                out += "\(number)  DIFFER  \(text)  [\(aspects.joined(separator: ", "))]\n"
                out += "              kernel: \(row.kernel)\n"
                out += "              model:  \(row.model)\n"
                for detail in row.details { out += "              \(detail)\n" }
            case .skipped(let why):
                if !quiet { out += "\(number)  skip    \(text)  (\(why))\n" }
            case .follows(let since):
                out += "\(number)  follows \(text)  (memory differs since line \(since))\n"
                if !quiet {
                    out += "              kernel: \(row.kernel)\n"
                    out += "              model:  \(row.model)\n"
                }
            case .notRun(let why):
                out += "\(number)  not run \(text)  (\(why))\n"
            }
        }
        return out
    }

    public func summary(_ comparison: OracleComparison) -> String {
        let differing = comparison.disagreements.map { String($0.line.lineNumber) }
        var text = "\(comparison.fileName): \(comparison.lines.count) lines: \(comparison.agreed) agree, \(differing.count) differ"
        if !differing.isEmpty { text += " (line \(differing.joined(separator: ", ")))" }
        if comparison.following > 0 { text += ", \(comparison.following) follow from an earlier difference" }
        text += ", \(comparison.skipped) skipped, \(comparison.notRun) not run"
        return text
    }

    func guestName(_ guest: GuestConfig) -> String {
        switch guest.iommu {
        case .intel: return "q35, TCG, intel-iommu aw-bits=\(guest.addressWidthBits) caching-mode=off" + arguments(guest)
        case .virtio: return "q35, TCG, virtio-iommu" + arguments(guest)
        case .none: return "q35, TCG, no IOMMU (intel_iommu=off)" + arguments(guest)
        }
    }

    private func arguments(_ guest: GuestConfig) -> String {
        guest.kernelArguments.isEmpty ? "" : ", " + guest.kernelArguments.joined(separator: " ")
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
