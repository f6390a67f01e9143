-- A merge of the changes file into the bulk file's private copy runs under a tighter DuckDB memory bound than
-- other writes: merging a 10 MiB changes file into a 30,000-report bulk file peaked at 224-271 MiB of process
-- memory with 128 MB, 165-209 MiB with 64 MB (for 0.1-0.5 CPU s more); inside a bulk ingest the merge was the
-- writer's peak (issue 15: writer <= 300 MiB). DuckDB spills beyond it; db.writer_memory is set back after.
SET memory_limit = '64MB'
