-- The bulk writes run under their own DuckDB memory bound, $limit (db.bulk_memory): each publish of a bulk
-- ingest (64 MB: it writes the changes file) and a merge of the changes file into the bulk file's private copy
-- (db.merge_bound: 64 MB below 256 MiB of bulk file, 128 MB from there). Merging a 10 MiB changes file into a
-- 30,000-report bulk file peaked at 224-271 MiB of process memory with 128 MB, 165-209 MiB with 64 MB; a
-- 105 MiB one into the 300,000-report file at 241 MiB with 128 MB, 859 MiB without a bound (BENCHMARKS.md;
-- issue 15: writer <= 300 MiB). DuckDB spills beyond it; a merge it cannot fit fails without a change.
SET memory_limit = $limit
