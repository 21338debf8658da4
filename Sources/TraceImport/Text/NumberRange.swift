extension UInt64 {
    /// The value as an `Int` when it fits, else nil. Every number a log prints is read as
    /// `UInt64` first; a PID, CPU or group ID past `Int.max` is not a real one, and
    /// converting it with `Int(_:)` would trap.
    var asInt: Int? { Int(exactly: self) }
}
