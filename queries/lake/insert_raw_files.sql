-- DuckLake: original bytes once per content (frame new_raw_files); the lake has no primary keys, so an
-- anti-join under the one writer's lock does what raw_files's PRIMARY KEY does in schema/tables.sql.
INSERT INTO raw_files BY NAME
SELECT * FROM new_raw_files n WHERE NOT EXISTS (SELECT 1 FROM raw_files r WHERE r.sha256 = n.sha256)
