import DMASim

/// The units delta debugging removes: groups of ops that only make sense together, so
/// that most candidates are valid scripts. One group per life of a handle (an `alloc` or
/// `map` and every later op on the same name until the next `alloc`/`map` of it); every
/// other op (topology, CPU accesses, accesses by absolute address, flush, detach) alone.
struct OpGroups {
    /// Op indexes per group, each ascending; groups ordered by their first op.
    let groups: [[Int]]

    init(_ ops: [Op]) {
        var groups: [[Int]] = []
        var currentGroupOfHandle: [String: Int] = [:]
        for (index, op) in ops.enumerated() {
            guard let handle = op.handleName else {
                groups.append([index])
                continue
            }
            if !op.declaresHandle, let group = currentGroupOfHandle[handle] {
                groups[group].append(index)
            } else {
                currentGroupOfHandle[handle] = groups.count
                groups.append([index])
            }
        }
        self.groups = groups
    }

    /// The group holding op `index`.
    func group(containing index: Int) -> Int? {
        groups.firstIndex { $0.contains(index) }
    }
}
