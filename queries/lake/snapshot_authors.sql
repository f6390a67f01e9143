-- DuckLake (perfboard.lake check): who committed each snapshot, in order (lake.commit_message): shows whether
-- two writers' transactions interleaved.
SELECT author FROM lake.snapshots() WHERE author IS NOT NULL ORDER BY snapshot_id
