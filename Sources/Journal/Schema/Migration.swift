/// One numbered schema file: `schema/NNN-name.sql`, applied once, in order. Each file ends
/// by setting `PRAGMA user_version` to its number.
struct Migration: Sendable {
    let version: Int
    let file: String
    let sql: String
}
