-- An ingest's writer while its extraction workers run beside it: DuckDB on one thread. A publish's statements
-- are small, and a second DuckDB thread only contends with the workers for the machine's cores (one ingest of
-- 500 reports publishing every 100, on 2 cores: 0.88x the CPU seconds and 0.86x the wall clock, BENCHMARKS.md).
SET threads = 1
