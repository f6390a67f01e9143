-- Storage prototype (replica): rows of indicators deleted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
DELETE FROM main.indicators WHERE lake_rowid IN (
    SELECT rowid FROM ducklake_table_deletions('lake', 'main', 'indicators', $from_snapshot, $to_snapshot))
