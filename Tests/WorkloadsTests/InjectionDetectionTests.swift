import DMASim
import Testing
@testable import Workloads

/// Each injected misuse is committed once where asked, and the engine notices it — a
/// finding, a fault or a failed claim — at the marked step or later, never before.
@Suite struct InjectionDetectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var kind: WorkloadKind
        var injection: InjectionClass
        var testDescription: String { "\(kind.rawValue) \(injection.rawValue)" }

        var options: WorkloadOptions {
            WorkloadOptions(seed: 11, opCount: 800, inFlightPerDevice: 2, injections: [InjectionSpec(injection, trigger: .atStep(0))])
        }
    }

    static let cases: [Case] = WorkloadKind.allCases.flatMap { kind in
        InjectionClass.allCases.filter(kind.generator.supportedInjections.contains).map { Case(kind: kind, injection: $0) }
    }

    @Test(arguments: cases)
    func detectedAtOrAfterTheMark(_ test: Case) throws {
        let expected = test.injection.detectedBy.first
        let run = WorkloadRun(try test.kind.generator.steps(test.options), until: expected)
        let mark = try #require(run.injected.first, "never injected")
        #expect(run.injected.count == 1)
        #expect(mark.mark.injectionClass == test.injection)
        let first = run.detections.first
        #expect((first?.index ?? .max) >= mark.index, "detected before the mark at \(mark.index): \(first!)")
        guard let expected else { return }
        #expect(run.detections.contains { $0.outcome.reports(expected) }, "no \(expected.rawValue) after step \(mark.index)")
    }

    /// Up to the marked step the traffic is what it would have been without the
    /// injection, so bisecting a recorded run can land exactly on the mark.
    @Test(arguments: cases)
    func trafficBeforeTheMarkIsUnchanged(_ test: Case) throws {
        let injected = Array(try test.kind.generator.steps(test.options))
        let markIndex = try #require(injected.firstIndex { $0.injected != nil })
        var plain = test.options
        plain.injections = []
        let clean = Array(try test.kind.generator.steps(plain).prefix(markIndex + 1))
        // missing-sync and skipped-cache-sync may change the declared topology, and
        // unaligned-bounce may add a pool to it; compare traffic.
        let trafficStart = injected.firstIndex { !$0.op.isTopology }!
        let cleanStart = clean.firstIndex { !$0.op.isTopology }!
        #expect(Array(injected[trafficStart..<markIndex]) == Array(clean[cleanStart..<cleanStart + markIndex - trafficStart]))
    }
}
