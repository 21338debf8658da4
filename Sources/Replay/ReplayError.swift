import DMASim
import Journal
import DMASim
import OpScript

/// Why a replay, bisect or minimisation could not run (as opposed to what it found).
public enum ReplayError: Error, CustomStringConvertible {
    case journal(JournalError)
    /// A `--with` override that changes nothing in the journal's machine.
    case overrideUnused(TopologyOverride, path: String)
    /// `--with` values the engine refuses for a declaration of the journal's machine.
    case overrideRejected(String, reason: String, path: String)
    /// `--until` that cannot be understood.
    case badPredicate(String)
    /// The predicate does not hold even after the last op: nothing to bisect.
    case neverHolds(String, path: String)
    /// The predicate holds before the first op could have caused it.
    case holdsAtStart(String, path: String)
    /// The external `--run` command exited with a status ≥ 128 or could not start.
    case commandAborted(String)
    /// The user pressed Ctrl-C (the caller's interrupt check said so).
    case interrupted
    /// A checkpoint or verify could not keep or read its snapshot.
    case snapshot(String)
    /// A request that names what the journal does not have (`state --at`, `--device`).
    case badRequest(String)

    public var description: String {
        switch self {
        case .journal(let error): return error.description
        case .overrideUnused(let override, let path):
            return "\(path): --with \(override) changes nothing: the journal declares no matching \(override.declarationName)"
        case .overrideRejected(let overrides, let reason, let path):
            return "\(path): --with \(overrides) makes a declaration the engine refuses: \(reason)"
        case .badPredicate(let reason): return "--until: \(reason)"
        case .neverHolds(let predicate, let path): return "\(path): '\(predicate)' never holds, even after the last op"
        case .holdsAtStart(let predicate, let path): return "\(path): '\(predicate)' already holds before the first op"
        case .commandAborted(let reason): return "--run: \(reason)"
        case .interrupted: return "interrupted"
        case .snapshot(let reason): return "snapshot: \(reason)"
        case .badRequest(let reason): return reason
        }
    }
}

extension TopologyOverride: CustomStringConvertible {
    public var description: String {
        switch self {
        case .iommuMode(let mode): return "iommu-mode=\(mode.rawValue)"
        case .needsSyncMap(let on): return "needs-sync-map=\(on ? "on" : "off")"
        case .granule(let bytes): return "granule=\(bytes)"
        case .pageSizes(let bitmap): return "page-sizes=" + PageSizes.sizes(in: bitmap).map(ScriptNumber.size).joined(separator: ",")
        case .flushQueueSlots(let slots): return "fq-size=\(slots)"
        case .forceDAC(let on): return "forcedac=\(on ? "on" : "off")"
        case .dmaBits(let bits): return "dma-bits=\(bits)"
        case .coherent(let on): return "coherent=\(on ? "on" : "off")"
        case .untrusted(let on): return "untrusted=\(on ? "on" : "off")"
        case .minAlignMask(let mask): return "min-align-mask=0x\(String(mask, radix: 16))"
        case .swiotlbSize(let bytes): return "swiotlb-size=\(bytes)"
        case .swiotlbForce(let on): return "swiotlb-force=\(on ? "on" : "off")"
        case .kernel(let kernel): return "kernel=\(kernel.rawValue)"
        case .arch(let arch): return "arch=\(arch.rawValue)"
        case .cpuCount(let count): return "cpus=\(count)"
        case .tickPhase(let phase): return "tick-phase=" + DurationText.text(of: phase)
        }
    }

    /// What the override changes: "iommu", "device", "swiotlb" or "machine".
    var declarationName: String { targetKind.rawValue }
}
