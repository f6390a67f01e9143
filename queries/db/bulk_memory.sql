-- The bulk writes run under their own DuckDB memory bound, $limit (db.bulk_memory): each publish of a bulk
-- ingest and every merge of the changes file into the bulk file's private copy, 64 MB (db.merge_bound; a
-- correction or an upload: db.writer_memory, 128 MB). Merging a 10 MiB changes file into a 30,000-report bulk
-- file peaked at 165-209 MiB of process memory with it (224-271 MiB with 128 MB); a 105 MiB one into the
-- 300,000-report file at 174 MiB (859 MiB without a bound), once the merge checkpoints after its deletes and
-- sorts dashboard_metrics a year at a time (BENCHMARKS.md; issue 15: writer <= 300 MiB). DuckDB spills beyond
-- it; a merge it cannot fit fails without a change (db.MergeOutOfMemory).
SET memory_limit = $limit
