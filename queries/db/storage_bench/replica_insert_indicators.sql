-- Storage prototype (replica): rows of indicators inserted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
INSERT INTO main.indicators BY NAME
SELECT rowid AS lake_rowid, * FROM ducklake_table_insertions('lake', 'main', 'indicators', $from_snapshot, $to_snapshot)
