extension Op {
    /// The IOVA state or streaming mapping the op works on, if any: what ties a
    /// driver's alloc … link … destroy … free together. (The same as `handle`.)
    public var handleName: String? { call.handle }
}
