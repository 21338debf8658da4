/// Walks a request's stages in order, each a number of items (one link per piece, one
/// access per segment …), yielding `(stage, item)` one at a time.
struct StageCursor<Stage: Equatable> {
    var stages: [Stage]
    private var index = 0
    private var item = 0

    init(_ stages: [Stage]) { self.stages = stages }

    /// The next stage and item, or nil after the last.
    mutating func advance(itemCount: (Stage) -> Int) -> (stage: Stage, item: Int)? {
        while index < stages.count {
            let stage = stages[index]
            if item < itemCount(stage) {
                item += 1
                return (stage, item - 1)
            }
            index += 1
            item = 0
        }
        return nil
    }

    /// Puts `stage` right after `anchor` (which must be present).
    mutating func insert(_ stage: Stage, after anchor: Stage) {
        stages.insert(stage, at: stages.firstIndex(of: anchor)! + 1)
    }

    mutating func remove(_ stage: Stage) { stages.removeAll { $0 == stage } }

    mutating func replace(_ stage: Stage, with replacement: Stage) {
        stages = stages.map { $0 == stage ? replacement : $0 }
    }
}

/// Where in a request's stages an injected misuse is committed.
struct StepMark<Stage: Equatable> {
    var stage: Stage
    var item: Int
    var injection: MisuseInjection

    /// The mark for `(stage, item)`, if this is it.
    func injection(at stage: Stage, _ item: Int) -> MisuseInjection? {
        stage == self.stage && item == self.item ? injection : nil
    }
}
