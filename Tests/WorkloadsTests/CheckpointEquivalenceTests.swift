import DMASim
import Foundation
import OpScript
import Testing
@testable import Workloads

/// Checkpoints over real traffic: for every fixture script and every workload, on every
/// kind of topology and with misuse injected, an engine restored from a checkpoint (state
/// bytes plus the pages written) gives the same outcome for every later op as the engine
/// that ran straight through (`CheckpointVerifier`).
@Suite struct CheckpointEquivalenceTests {
    static let fixtureRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/scripts")

    static let fixtureNames: [String] = {
        let files = FileManager.default.enumerator(at: fixtureRoot, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
        return files.filter { $0.pathExtension == "ops" }.map { String($0.path.dropFirst(fixtureRoot.path.count + 1)) }.sorted()
    }()

    @Test func thereAreFixturesToSplit() {
        #expect(Self.fixtureNames.count > 40)
    }

    /// Small scripts: a checkpoint after every op.
    @Test(arguments: fixtureNames)
    func fixtureScriptSplitAnywhere(_ name: String) throws {
        let text = try String(contentsOf: Self.fixtureRoot.appendingPathComponent(name), encoding: .utf8)
        let ops = try ScriptParser().parse(text, fileName: name).ops
        let divergence = CheckpointVerifier.firstDivergence(in: ops, splittingAfter: Array(0...ops.count))
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }

    enum Topology: String, CaseIterable, Sendable {
        /// Each device's own IOMMU mode (mixed: strict, lazy and none side by side).
        case asGenerated = "as generated"
        case strict, lazy
        /// Lazy on 6.16, whose `dma_iova_destroy` queues the IOVA and defers the flush.
        case lazy616 = "lazy, kernel 6.16"
        case needsSyncMap = "needs-sync-map"
        /// skipped-cache-sync injected: the generator turns devices non-coherent for it.
        case nonCoherent = "non-coherent"
        /// A 4 MiB swiotlb pool and 32-bit DMA masks: dma-direct maps of the region (above
        /// 4 GiB, made RAM the kernel owns, so the bounce copies work) bounce.
        case swiotlb
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var kind: WorkloadKind
        var topology: Topology
        var testDescription: String { "\(kind.rawValue), \(topology.rawValue)" }

        /// Every injection the workload supports at a low rate, except those this topology
        /// rules out.
        func ops() throws -> [Op] {
            var options = WorkloadOptions(seed: 3, opCount: 1500)
            switch topology {
            case .asGenerated, .nonCoherent: break
            case .strict: options.iommuMode = .strict
            case .lazy: options.iommuMode = .lazy
            case .lazy616: options.iommuMode = .lazy; options.kernel = .v6_16
            case .needsSyncMap: options.needsSyncMap = true
            case .swiotlb: options.dmaBits = 32
            }
            let generator = kind.generator
            for injection in InjectionClass.allCases where generator.supportedInjections.contains(injection) {
                if injection == .skippedCacheSync && topology != .nonCoherent { continue }
                var trial = options
                trial.injections.append(InjectionSpec(injection, trigger: .rate(0.01)))
                if (try? generator.steps(trial)) != nil { options = trial }
            }
            var ops = Array(try generator.steps(options)).map(\.op)
            if topology == .swiotlb {
                ops = ops.map { op in
                    guard case .region(var spec) = op.call, spec.kind == .shared else { return op }
                    spec.kind = .ram
                    return op.with(.region(spec))
                }
                let afterRegions = ops.lastIndex { if case .region = $0.call { true } else { false } }! + 1
                ops.insert(.swiotlb(SwiotlbSpec(sizeBytes: 4 << 20)), at: afterRegions)
            }
            return ops
        }
    }

    /// Every workload under every IOMMU mode override and on a non-coherent machine; the
    /// generators' own topologies and swiotlb where they differ from those (mixed, nvme).
    static let cases: [Case] = WorkloadKind.allCases.flatMap { kind in
        Topology.allCases.filter { topology in
            switch topology {
            case .asGenerated: return kind == .mixed
            case .swiotlb: return kind == .mixed || kind == .nvme
            default: return true
            }
        }.map { Case(kind: kind, topology: $0) }
    }

    /// Checkpoints right after the topology and at three points in the traffic; each
    /// restored copy runs to the end.
    @Test(arguments: cases)
    func workloadSplitAtFourPoints(_ test: Case) throws {
        let ops = try test.ops()
        let topologyEnd = ops.firstIndex { !$0.kind.isTopology }!
        let splits = [topologyEnd] + (1...3).map { ops.count * $0 / 4 }
        let divergence = CheckpointVerifier.firstDivergence(in: ops, splittingAfter: splits)
        #expect(divergence == nil, "\(divergence.map(String.init(describing:)) ?? "")")
    }

    /// The cases above must reach the state they claim to: bounces, dirty or stale cache
    /// lines, queued IOVAs and findings.
    @Test func theTopologiesExerciseWhatTheyName() throws {
        let swiotlb = Engine()
        let swiotlbOutcomes = swiotlb.apply(try Case(kind: .mixed, topology: .swiotlb).ops())
        #expect(swiotlbOutcomes.contains { $0.events.contains { $0.kind == .bounceToDevice } })
        let lazy = Engine().apply(try Case(kind: .nvme, topology: .lazy616).ops())
        #expect(lazy.contains { $0.events.contains { $0.kind == .flushQueued } })
        let nonCoherent = Engine().apply(try Case(kind: .nvme, topology: .nonCoherent).ops())
        #expect(nonCoherent.contains { $0.events.contains { $0.kind == .cacheInvalidate } })
        #expect(nonCoherent.contains { !$0.findings.isEmpty })
    }
}
