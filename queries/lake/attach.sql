-- DuckLake: open the lake that lake.secret describes.
ATTACH 'ducklake:perfboard_lake' AS lake
