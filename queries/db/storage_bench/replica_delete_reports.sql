-- Storage prototype (replica): rows of reports deleted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
DELETE FROM main.reports WHERE lake_rowid IN (
    SELECT rowid FROM ducklake_table_deletions('lake', 'main', 'reports', $from_snapshot, $to_snapshot))
