-- Storage prototype (replica): rows of corrections inserted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
INSERT INTO main.corrections BY NAME
SELECT rowid AS lake_rowid, * FROM ducklake_table_insertions('lake', 'main', 'corrections', $from_snapshot, $to_snapshot)
