-- Storage prototype (replica): rows of facts inserted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
INSERT INTO main.facts BY NAME
SELECT rowid AS lake_rowid, * FROM ducklake_table_insertions('lake', 'main', 'facts', $from_snapshot, $to_snapshot)
