-- Whether the attached bulk file's row map (bulk_rows) was made for it: one row when it was. A bulk file
-- without one is written whole once (db._open_changes), which makes it.
SELECT 1 FROM base.meta m JOIN base.meta b ON b.key = 'base_id' AND m.value = b.value
WHERE m.key = 'bulk_rows_of'
