-- A writer's DuckDB memory, bounded: a merge of a 15 MiB changes file into the 92 MiB bulk file peaked at
-- 376 MiB of process memory without a limit, 279 MiB with this one (BENCHMARKS.md); DuckDB evicts or spills
-- beyond it instead of growing the writer (issue 15: writer <= 300 MiB).
SET memory_limit = '128MB'
