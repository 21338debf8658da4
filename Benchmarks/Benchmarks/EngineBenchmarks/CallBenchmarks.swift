import Benchmark
import DMASim

/// One engine API call kind measured alone, per range size and IOMMU mode. A sample
/// builds `n` IOVA states, runs the calls that come before the measured kind in a
/// request's life unmeasured, then times `n` calls of that kind — so "link" is the cost
/// of a link into an allocated state, "destroy" of a destroy that unmaps a linked range
/// and frees its IOVA, and the throughput metric is calls per second.
enum CallBenchmarks {
    enum Call: String, CaseIterable {
        case alloc, link, sync, unlink, destroy, free

        /// What must have happened to a state before this call can be measured on it.
        var preparation: [Call] {
            switch self {
            case .alloc: []
            case .link, .free: [.alloc]
            case .sync, .unlink, .destroy: [.alloc, .link]
            }
        }
    }

    static func register() {
        for mode in [IOMMUMode.strict, .lazy] {
            for (label, size) in [("4K", UInt64(4096)), ("2M", UInt64(2 << 20))] {
                for call in Call.allCases {
                    Benchmark("call: \(call.rawValue) \(label) (\(mode.rawValue))") { benchmark in
                        let requests = Requests(count: benchmark.scaledIterations.count, size: size)
                        let engine = EngineFixture.make(mode: mode)
                        for step in call.preparation {
                            for op in requests.ops(step) { _ = engine.apply(op) }
                        }
                        let measured = requests.ops(call)
                        benchmark.startMeasurement()
                        for op in measured { blackHole(engine.apply(op)) }
                        benchmark.stopMeasurement()
                    }
                }
            }
        }
    }

    /// `count` IOVA states of `size` bytes, each over its own physical range, and the op
    /// of each call kind for every one of them, built before anything is measured.
    struct Requests {
        let names: [String]
        let size: UInt64

        init(count: Int, size: UInt64) {
            names = (0..<count).map { "s\($0)" }
            self.size = size
        }

        func ops(_ call: Call) -> [Op] {
            names.enumerated().map { index, state in
                let phys = EngineFixture.base + UInt64(index) * size
                return switch call {
                case .alloc: .alloc(AllocOp(state: state, device: "nvme0", phys: phys, sizeBytes: size))
                case .link: .link(LinkOp(state: state, offset: 0, phys: phys, length: size, direction: .bidirectional))
                case .sync: .sync(SyncOp(state: state, offset: 0, length: size))
                case .unlink: .unlink(UnlinkOp(state: state, offset: 0, length: size, direction: .bidirectional))
                case .destroy: .destroy(DestroyOp(state: state, mappedLength: size, direction: .bidirectional))
                case .free: .free(FreeOp(state: state))
                }
            }
        }
    }
}
