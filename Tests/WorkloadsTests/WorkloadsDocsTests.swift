import Foundation
import Testing
@testable import Workloads

/// docs/workloads.md describes every workload and every injection class.
@Suite struct WorkloadsDocsTests {
    static let text: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("docs/workloads.md"), encoding: .utf8)) ?? ""
    }()

    @Test func everyWorkloadHasASection() {
        let missing = WorkloadKind.allCases.map(\.rawValue).filter { !Self.text.contains("### `\($0)`") }
        #expect(missing.isEmpty, "docs/workloads.md lacks: \(missing)")
    }

    @Test func everyInjectionClassHasARow() {
        let missing = InjectionClass.allCases.map(\.rawValue).filter { !Self.text.contains("| `\($0)` |") }
        #expect(missing.isEmpty, "docs/workloads.md lacks: \(missing)")
    }
}
