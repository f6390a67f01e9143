-- Writes what a connection holds in memory and its write-ahead log into its database file (DuckDB frees
-- deleted rows only then: a merge checkpoints after each delete; a publish before the file is renamed).
CHECKPOINT
