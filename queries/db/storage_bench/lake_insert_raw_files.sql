-- Storage prototype: original bytes once per content; DuckLake has no primary keys, so an anti-join.
INSERT INTO raw_files BY NAME
SELECT * FROM new_raw_files n WHERE NOT EXISTS (SELECT 1 FROM raw_files r WHERE r.sha256 = n.sha256)
