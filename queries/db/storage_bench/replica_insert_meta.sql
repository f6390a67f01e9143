-- Storage prototype (replica): rows of meta inserted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
INSERT INTO main.meta BY NAME
SELECT rowid AS lake_rowid, * FROM ducklake_table_insertions('lake', 'main', 'meta', $from_snapshot, $to_snapshot)
