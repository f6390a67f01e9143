-- A changes file's writer opens its private copy (db._open_changes) with row groups of 2,048 rows, not DuckDB's
-- 122,880: a checkpoint rewrites a table's last, partly filled row group, so with one row group per table (a changes
-- file holds under 122,880 rows of most tables) every publish rewrote all of it. The checkpoint of 100 reports'
-- rows into a 30,000-report database's changes file: 100-110 -> 25-32 ms, its facts 88-110 -> 11 ms (measured 2026-12-02, not yet in BENCHMARKS.md).
-- The bulk file keeps DuckDB's row groups (its scans read fewer, better compressed ones).
ATTACH $path AS written (ROW_GROUP_SIZE 2048)
