-- Storage prototype (replica): the tables that snapshots $from_snapshot … $to_snapshot changed (ids in the
-- snapshots' change sets, named from the lake's own metadata), so that only those are caught up.
WITH ids AS (
    SELECT DISTINCT unnest(flatten(map_values(changes))) AS id
    FROM lake.snapshots()
    WHERE snapshot_id BETWEEN $from_snapshot AND $to_snapshot
)
SELECT t.table_name
FROM __ducklake_metadata_lake.ducklake_table t
JOIN ids ON ids.id = t.table_id::VARCHAR
WHERE t.end_snapshot IS NULL
