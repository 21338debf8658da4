extension Engine {
    /// The version of `encodeState()`'s format, which the journal's `checkpoints` table
    /// keeps beside each state.
    public static var stateFormatVersion: Int { Int(EngineStateFormat.version) }

    /// The versions `decodingState` reads: this one, and older ones existing journals hold.
    public static var readableStateFormatVersions: ClosedRange<Int> {
        Int(EngineStateFormat.readableVersions.lowerBound)...Int(EngineStateFormat.readableVersions.upperBound)
    }
}
