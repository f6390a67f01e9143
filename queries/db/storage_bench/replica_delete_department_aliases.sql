-- Storage prototype (replica): rows of department_aliases deleted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
DELETE FROM main.department_aliases WHERE lake_rowid IN (
    SELECT rowid FROM ducklake_table_deletions('lake', 'main', 'department_aliases', $from_snapshot, $to_snapshot))
