-- Storage prototype: open the lake that db.storage_bench.lake_secret describes.
ATTACH 'ducklake:perfboard_lake' AS lake
