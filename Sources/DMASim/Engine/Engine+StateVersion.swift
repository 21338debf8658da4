extension Engine {
    /// The version of `encodeState()`'s format, which the journal's `checkpoints` table
    /// keeps beside each state.
    public static var stateFormatVersion: Int { Int(EngineStateFormat.version) }
}
