-- A merge of the changes file into the bulk file (db.bulk_memory with merge): DuckDB on one thread. In an
-- ingest of 300,000 reports, whose extraction workers keep both cores busy, its merges peaked at 280 MiB of
-- writer on one thread against 291-294 MiB on two, in the same time (30 s in all); a merge on its own, of a
-- 17 MiB changes file into that bulk file, 1.4 s and 161 MiB either way (BENCHMARKS.md 2026-12-03).
SET threads = 1
