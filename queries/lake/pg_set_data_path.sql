-- PostgreSQL (lake restore): the restored catalog's data folder, where the restore put the files ($data_path).
-- DuckLake 1.5.5 keeps the folder it was created with and refuses another; every other path is relative to it.
UPDATE ducklake_metadata SET value = $data_path WHERE key = 'data_path' AND scope IS NULL
