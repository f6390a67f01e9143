-- The bulk writes run under a tighter DuckDB memory bound than a correction or an upload (db.writer_memory):
-- a merge of the changes file into the bulk file's private copy, and each publish of a bulk ingest. Merging a
-- 10 MiB changes file into a 30,000-report bulk file peaked at 224-271 MiB of process memory with 128 MB,
-- 165-209 MiB with 64 MB (for 0.1-0.5 CPU s more); inside a 30,000-report ingest the merges and the publishes'
-- checkpoints were the writer's peaks (issue 15: writer <= 300 MiB). DuckDB spills beyond it. Only below
-- db.BULK_BOUND_BELOW of bulk file: at 300,000 reports a merge ran out of even 128 MB (db.bulk_memory).
SET memory_limit = '64MB'
