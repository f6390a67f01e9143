-- DuckLake (lake maintain, lake check): the data files and delete files the lake's latest snapshot reads, over
-- all tables, and their bytes.
SELECT sum(file_count)::BIGINT AS data_files, sum(file_size_bytes)::BIGINT AS data_bytes,
       sum(delete_file_count)::BIGINT AS delete_files
FROM ducklake_table_info('lake')
