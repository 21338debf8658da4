import DMASim
import Foundation
import OpScript
import Workloads

/// Steps per second of a workload, in one of three depths, and the process's peak
/// resident memory. One mode per process, so the peak is that mode's own.
///
///     WorkloadThroughput KIND [OPS] [generate|engine|check] [seed=N] [dma-bits=N] [granule=N]
///                        [iommu=strict|lazy|passthrough] [region=SIZE] [inject=CLASS@RATE|@SEQ …]
///
/// generate: iterate the stream only (the generator's overhead); engine: apply every
/// op to a fresh engine; check: also evaluate every claim, as `record` will.
@main
struct WorkloadThroughput {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count > 1, let kind = WorkloadKind(rawValue: arguments[1]) else {
            print("usage: WorkloadThroughput \(WorkloadKind.allCases.map(\.rawValue).joined(separator: "|")) [ops] [generate|engine|check]")
            return
        }
        let ops = arguments.count > 2 ? Int(arguments[2])! : 1_000_000
        let mode = arguments.count > 3 ? arguments[3] : "check"
        let stream = try kind.generator.steps(try options(ops: ops, settings: arguments.dropFirst(4)))
        let clock = ContinuousClock()
        var tally = Tally()
        let elapsed = clock.measure { tally = run(stream, mode: mode) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        precondition(tally.checksum >= 0)
        print("\(kind.rawValue) \(mode): \(tally.steps) steps in \(String(format: "%.2f", seconds)) s = "
              + "\(String(format: "%.2f", Double(tally.steps) / seconds / 1e6)) M steps/s; "
              + "\(tally.dataBytes / UInt64(max(tally.steps, 1))) data bytes a step; "
              + "\(tally.failedClaims) failed claims, \(tally.findings) findings; peak RSS \(peakResidentMiB()) MiB")
    }

    /// Options from `key=value` arguments.
    static func options(ops: Int, settings: ArraySlice<String>) throws -> WorkloadOptions {
        var options = WorkloadOptions(seed: 1, opCount: ops)
        for setting in settings {
            let (key, value) = (setting.prefix { $0 != "=" }, String(setting.drop { $0 != "=" }.dropFirst()))
            switch key {
            case "seed": options.seed = UInt64(value)!
            case "dma-bits": options.dmaBits = Int(value)!
            case "granule": options.granuleBytes = UInt64(value)!
            case "region": options.regionSizeBytes = try ScriptNumber.value(of: value)
            case "iommu": options.iommuMode = IOMMUMode(rawValue: value)!
            case "inject": options.injections.append(try InjectionSpec(parsing: value))
            default: fatalError("unknown setting \(setting)")
            }
        }
        return options
    }

    struct Tally {
        var steps = 0
        var failedClaims = 0
        var findings = 0
        /// Bytes the CPU and devices read and write: what the engine's time goes on.
        var dataBytes: UInt64 = 0
        /// Folds every op in, so the optimiser cannot drop the generation.
        var checksum = 0
    }

    static func run(_ stream: WorkloadStream, mode: String) -> Tally {
        var tally = Tally()
        let engine = Engine()
        for step in stream {
            tally.steps += 1
            tally.dataBytes += step.op.dataBytes
            guard mode != "generate" else {
                tally.checksum &+= step.claims.count &+ (step.injected == nil ? 0 : 1)
                continue
            }
            let outcome = engine.apply(step.op)
            tally.findings += outcome.findings.count
            if mode == "check" && !Claim.check(step.claims, outcome: outcome, op: step.op).isEmpty { tally.failedClaims += 1 }
        }
        return tally
    }

    /// VmHWM from /proc/self/status.
    static func peakResidentMiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }
}

extension Op {
    var dataBytes: UInt64 {
        switch call {
        case .cpuWrite(let access): return access.length
        case .cpuRead(let access): return access.length
        case .deviceWrite(let access): return access.length
        case .deviceRead(let access): return access.length
        default: return 0
        }
    }
}
