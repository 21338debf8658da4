/// Tables the helper connection loaded and committed for a push whose own transaction
/// then never committed (the server went away, the client was killed): plain tables
/// named like partitions (`ops_j7`) that no parent holds, so no view or named query sees
/// them, but they take space. They are dropped as soon as that push is certainly over:
/// its transaction holds an advisory lock on its store id until it ends, so once the lock
/// can be taken, the journal either committed (and its tables are partitions, never
/// touched here) or never will.
enum StrandedPartitions {
    /// pg_advisory_xact_lock(key, store id) pair: 'DMJP'.
    static let lockKey: Int32 = 0x444D_4A50

    /// The lock a push's transaction holds on its store id (ids beyond 2^31 wrap, which
    /// at worst makes a sweep wait for another push).
    static func lockCall(_ function: String, storeID: Int64) -> String {
        "SELECT \(function)(\(lockKey), \(Int32(truncatingIfNeeded: storeID)))"
    }

    /// Drops the stranded tables of store id `storeID`, waiting up to `waitSeconds` for
    /// that push's transaction to end (the server may not yet have noticed its
    /// connection break); left for a later sweep if it has not.
    static func drop(storeID: Int64, on connection: PGConnection, waitSeconds: Int = 5) throws(FleetError) {
        try connection.execute("BEGIN")
        do throws(FleetError) {
            try connection.execute("SET LOCAL lock_timeout = '\(waitSeconds)s'")
            try connection.execute(lockCall("pg_advisory_xact_lock", storeID: storeID))
            try dropTables(of: storeID, on: connection)
            try connection.execute("COMMIT")
        } catch {
            if connection.isAlive { try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    /// Drops every stranded table whose push is over (`JournalPusher` sweeps when it
    /// connects); those of pushes still running are left to them. Stops at the first
    /// failure (a table of another role's, say).
    static func sweep(on connection: PGConnection) throws(FleetError) {
        let ids = try connection.query("""
            SELECT DISTINCT (regexp_match(relname, '_j([0-9]+)$'))[1] FROM pg_class
             WHERE relnamespace = '\(StoreSchema.name)'::regnamespace AND relkind = 'r' AND NOT relispartition
               AND relname ~ '_j[0-9]+$'
            """).rows.compactMap { $0[0].flatMap { Int64($0) } }
        for storeID in ids {
            try connection.execute("BEGIN")
            do throws(FleetError) {
                if try connection.scalar(lockCall("pg_try_advisory_xact_lock", storeID: storeID)) == "t" {
                    try dropTables(of: storeID, on: connection)
                }
                try connection.execute("COMMIT")
            } catch {
                if connection.isAlive { try? connection.execute("ROLLBACK") }
                throw error
            }
        }
    }

    /// Drops the plain (unattached) tables of store id `storeID`, in the caller's transaction.
    private static func dropTables(of storeID: Int64, on connection: PGConnection) throws(FleetError) {
        let names = try connection.query("""
            SELECT format('%I.%I', '\(StoreSchema.name)', relname) FROM pg_class
             WHERE relnamespace = '\(StoreSchema.name)'::regnamespace AND relkind = 'r' AND NOT relispartition
               AND relname ~ ('_j' || $1 || '$')
            """, [String(storeID)]).rows.compactMap { $0[0] }
        guard !names.isEmpty else { return }
        try connection.execute("DROP TABLE " + names.joined(separator: ", "))
    }
}
