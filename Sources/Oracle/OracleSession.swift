import OpScript

/// One script through the oracle, apart from booting the guest: the plan (what the kernel
/// is asked to do), then, given what the guest printed, the model's run on the guest's
/// topology and the comparison. Booting is `OracleHarness`'s; a saved console log can be
/// compared again without it (`dmajournal oracle --console`).
public struct OracleSession {
    public let script: Script
    public let fileName: String
    public let plan: OraclePlan

    public init(script: Script, fileName: String) throws {
        self.script = script
        self.fileName = fileName
        let rejected = try ModelSide.rejectedLines(of: script)
        self.plan = OracleTranslator(modelRejected: rejected).plan(for: script)
    }

    public struct Result {
        public var log: KernelLog
        public var topology: ModelSide.GuestTopology
        public var comparison: OracleComparison
    }

    public func compare(console: String) throws -> Result {
        let log = KernelLog(console: console)
        let topology = ModelSide.guestTopology(plan, log)
        let model = try ModelSide.run(plan, topology: topology)
        let comparison = OracleComparer(plan: plan, log: log, model: model).compare(fileName: fileName)
        return Result(log: log, topology: topology, comparison: comparison)
    }
}
