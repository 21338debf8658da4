import DMASim
import OpScript

/// Kernel names as op-script names. A PCI address (`0000:c2:00.0`) or an SMMU context bank
/// (`15000000.iommu/cb6`) does not start with a letter or has a `/`, which the script
/// format does not spell; such a name gets a `dev-` prefix and `.` for each character the
/// format lacks (`group-` for an IOVA space). Names that are valid already stay as they are, and no two kernel names
/// end up as one.
struct ScriptNames {
    /// What a changed name starts with: `dev-` for devices, `group-` for IOVA spaces.
    let prefix: String
    private var scriptNameOf: [String: String] = [:]
    private var taken: Set<String> = []

    /// The script name for `kernelName`, the same one every time it is asked.
    mutating func name(_ kernelName: String) -> String {
        if let known = scriptNameOf[kernelName] { return known }
        var candidate = ScriptLineWriter.canWrite(name: kernelName) ? kernelName : spelled(kernelName)
        var suffix = 2
        while taken.contains(candidate) { candidate = "\(spelled(kernelName))-\(suffix)"; suffix += 1 }
        taken.insert(candidate)
        scriptNameOf[kernelName] = candidate
        return candidate
    }

    /// The names that had to change, as (script name, kernel name), in first-use order.
    var renamed: [(script: String, kernel: String)] {
        scriptNameOf.filter { $0.key != $0.value }.map { (script: $0.value, kernel: $0.key) }.sorted { $0.script < $1.script }
    }

    init(prefix: String) { self.prefix = prefix }

    private func spelled(_ kernelName: String) -> String {
        let body = String(kernelName.map { character in
            character.isASCII && (character.isLetter || character.isNumber || "_.:-".contains(character)) ? character : "."
        })
        let name = prefix + body
        return ScriptLineWriter.canWrite(name: name) ? name : prefix + "x"
    }
}

extension ScriptNames {
    /// Devices and groups of one script renamed together: each op's names as the script
    /// spells them.
    struct Renaming {
        var devices = ScriptNames(prefix: "dev-")
        var groups = ScriptNames(prefix: "group-")

        /// The names that had to change, devices first.
        var renamed: [(script: String, kernel: String)] { devices.renamed + groups.renamed }

        mutating func scriptOp(_ op: Op) -> Op {
            switch op.call {
            case .iommu(var spec): spec.name = devices.name(spec.name); return op.with(.iommu(spec))
            case .device(var spec):
                spec.name = devices.name(spec.name)
                spec.iommu = spec.iommu.map { devices.name($0) }
                spec.group = spec.group.map { groups.name($0) }
                return op.with(.device(spec))
            case .map(var call): call.device = devices.name(call.device); return op.with(.map(call))
            case .alloc(var call): call.device = devices.name(call.device); return op.with(.alloc(call))
            case .deviceRead(var access): access.device = devices.name(access.device); return op.with(.deviceRead(access))
            case .deviceWrite(var access): access.device = devices.name(access.device); return op.with(.deviceWrite(access))
            case .detach(var call): call.device = devices.name(call.device); return op.with(.detach(call))
            case .flush(var call):
                call.iommu = devices.name(call.iommu)
                if let device = call.device { call.device = devices.name(device) }
                return op.with(.flush(call))
            default: return op
            }
        }
    }
}
