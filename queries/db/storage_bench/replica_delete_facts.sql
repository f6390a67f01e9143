-- Storage prototype (replica): rows of facts deleted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
DELETE FROM main.facts WHERE lake_rowid IN (
    SELECT rowid FROM ducklake_table_deletions('lake', 'main', 'facts', $from_snapshot, $to_snapshot))
