/*
 * The journal's insert baseline: re-inserts every row of a journal recorded by
 * dmajournal into a fresh database with the same tables, through prepared statements
 * bound column by column, in one transaction, with the connection settings the recorder
 * uses while recording (WAL, synchronous=NORMAL, wal_autocheckpoint=10000,
 * SQLITE_OPEN_NOMUTEX, the default page cache). Rows are loaded into memory first; only
 * the inserts are timed, by the wall clock and by the thread's CPU time (steadier on a
 * shared machine).
 *
 *   cc -O2 -o sqlite_insert sqlite_insert.c -lsqlite3
 *   ./sqlite_insert SOURCE.db DEST.db      -> prints ops, rows and seconds
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { int type; sqlite3_int64 integer; double real; void *bytes; int length; } Value;
typedef struct { char *name; char *insert_sql; int columns; Value *values; long rows; } Table;

static void die(sqlite3 *db, const char *what) {
    fprintf(stderr, "sqlite_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    exit(1);
}

static double now(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Reads every row of `table` into memory. */
static void load(sqlite3 *source, Table *table) {
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table->name);
    sqlite3_stmt *select;
    if (sqlite3_prepare_v2(source, sql, -1, &select, NULL) != SQLITE_OK) die(source, sql);
    table->columns = sqlite3_column_count(select);
    long capacity = 1024;
    table->values = malloc(sizeof(Value) * capacity * table->columns);
    table->rows = 0;
    while (sqlite3_step(select) == SQLITE_ROW) {
        if (table->rows == capacity) {
            capacity *= 2;
            table->values = realloc(table->values, sizeof(Value) * capacity * table->columns);
        }
        for (int c = 0; c < table->columns; c++) {
            Value *v = &table->values[table->rows * table->columns + c];
            v->type = sqlite3_column_type(select, c);
            v->integer = sqlite3_column_int64(select, c);
            v->real = sqlite3_column_double(select, c);
            v->length = sqlite3_column_bytes(select, c);
            v->bytes = NULL;
            if (v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) {
                v->bytes = malloc(v->length + 1);
                memcpy(v->bytes, v->type == SQLITE_TEXT ? (const void *)sqlite3_column_text(select, c) : sqlite3_column_blob(select, c), v->length);
            }
        }
        table->rows++;
    }
    sqlite3_finalize(select);
    size_t size = strlen(table->name) + 32 + 2 * table->columns;
    table->insert_sql = malloc(size);
    snprintf(table->insert_sql, size, "INSERT INTO \"%s\" VALUES (", table->name);
    for (int c = 0; c < table->columns; c++) strcat(table->insert_sql, c ? ",?" : "?");
    strcat(table->insert_sql, ")");
}

static void insert_all(sqlite3 *dest, Table *table) {
    sqlite3_stmt *insert;
    if (sqlite3_prepare_v2(dest, table->insert_sql, -1, &insert, NULL) != SQLITE_OK) die(dest, table->insert_sql);
    for (long r = 0; r < table->rows; r++) {
        for (int c = 0; c < table->columns; c++) {
            Value *v = &table->values[r * table->columns + c];
            switch (v->type) {
            case SQLITE_INTEGER: sqlite3_bind_int64(insert, c + 1, v->integer); break;
            case SQLITE_FLOAT: sqlite3_bind_double(insert, c + 1, v->real); break;
            case SQLITE_TEXT: sqlite3_bind_text(insert, c + 1, v->bytes, v->length, SQLITE_STATIC); break;
            case SQLITE_BLOB: sqlite3_bind_blob(insert, c + 1, v->bytes, v->length, SQLITE_STATIC); break;
            default: sqlite3_bind_null(insert, c + 1);
            }
        }
        if (sqlite3_step(insert) != SQLITE_DONE) die(dest, table->insert_sql);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: sqlite_insert SOURCE.db DEST.db\n"); return 2; }
    sqlite3 *source, *dest;
    if (sqlite3_open_v2(argv[1], &source, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die(source, argv[1]);
    remove(argv[2]);
    /* NOMUTEX as the recorder's Database opens: no mutex around each sqlite3_bind_*. */
    if (sqlite3_open_v2(argv[2], &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        die(dest, argv[2]);
    sqlite3_exec(dest, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=10000;", NULL, NULL, NULL);

    /* The same tables, with their primary keys: the indexes a recording keeps live.
       range_ends is left out: the writer fills it once, when it seals the journal, like
       the deferred indexes. */
    sqlite3_stmt *schema;
    sqlite3_prepare_v2(source, "SELECT name, sql FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name <> 'range_ends'", -1, &schema, NULL);
    Table tables[64];
    int count = 0;
    while (sqlite3_step(schema) == SQLITE_ROW && count < 64) {
        if (sqlite3_exec(dest, (const char *)sqlite3_column_text(schema, 1), NULL, NULL, NULL) != SQLITE_OK) die(dest, "create");
        tables[count].name = strdup((const char *)sqlite3_column_text(schema, 0));
        count++;
    }
    sqlite3_finalize(schema);
    long rows = 0, ops = 0;
    for (int t = 0; t < count; t++) {
        load(source, &tables[t]);
        rows += tables[t].rows;
        if (strcmp(tables[t].name, "ops") == 0) ops = tables[t].rows;
    }

    double start = now(CLOCK_MONOTONIC), cpu_start = now(CLOCK_THREAD_CPUTIME_ID);
    sqlite3_exec(dest, "BEGIN", NULL, NULL, NULL);
    for (int t = 0; t < count; t++) insert_all(dest, &tables[t]);
    if (sqlite3_exec(dest, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) die(dest, "commit");
    double seconds = now(CLOCK_MONOTONIC) - start, cpu_seconds = now(CLOCK_THREAD_CPUTIME_ID) - cpu_start;
    printf("ops=%ld rows=%ld seconds=%.3f ops_per_s=%.0f rows_per_s=%.0f cpu_seconds=%.3f ops_per_cpu_s=%.0f\n",
           ops, rows, seconds, ops / seconds, rows / seconds, cpu_seconds, ops / cpu_seconds);
    sqlite3_close(dest);
    sqlite3_close(source);
    return 0;
}
