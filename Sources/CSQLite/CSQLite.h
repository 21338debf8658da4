#ifndef CSQLITE_H
#define CSQLITE_H

#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot import.
   Binding with it makes SQLite copy the bytes before sqlite3_bind_* returns, so Swift
   may free its buffer at once. */
static inline sqlite3_destructor_type csqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/* sqlite3_db_config is variadic, which Swift cannot call. Turns off what a read-only
   query has no use for and what an adversarial journal or query could reach:
   - SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER: the one-argument fts3_tokenizer() returns a
     pointer into the library (an address leak), the two-argument form installs one;
   - SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION: no shared library is loaded;
   - SQLITE_DBCONFIG_DEFENSIVE: no writable_schema, no direct writes to shadow tables;
   - SQLITE_DBCONFIG_TRUSTED_SCHEMA off: views and triggers in the file may call only
     functions SQLite marks innocuous.
   Returns the first non-OK code, or SQLITE_OK. */
static inline int csqlite_harden_for_queries(sqlite3 *db) {
    int off = 0, on = 1, code;
    if ((code = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, off, (int *)0)) != SQLITE_OK) return code;
    if ((code = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, off, (int *)0)) != SQLITE_OK) return code;
    if ((code = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, (int *)0)) != SQLITE_OK) return code;
    return sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, off, (int *)0);
}

#endif
