-- Storage prototype (replica): rows of department_aliases inserted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
INSERT INTO main.department_aliases BY NAME
SELECT rowid AS lake_rowid, * FROM ducklake_table_insertions('lake', 'main', 'department_aliases', $from_snapshot, $to_snapshot)
