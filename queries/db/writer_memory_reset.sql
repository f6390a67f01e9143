-- The full rebuild of dashboard_metrics needs more than a writer's bounded memory (at 30,000 reports it ran out
-- of 128 MB): DuckDB's default for it, a rare repair or upgrade step.
RESET memory_limit
