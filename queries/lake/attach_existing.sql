-- DuckLake: open the lake that lake.secret describes, which must exist already (every command but `lake init`):
-- a catalog without one is an error (lakeread.LakeUnavailable), not a new empty lake made as a side effect.
ATTACH 'ducklake:perfboard_lake' AS lake (CREATE_IF_NOT_EXISTS false)
