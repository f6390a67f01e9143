-- PostgreSQL (lake restore): how many of the restored catalog's schemas, tables, data and delete files are named by
-- an absolute path; DuckLake writes relative ones (to the data folder), which a restore into another folder needs.
SELECT (SELECT count(*) FROM ducklake_schema WHERE NOT path_is_relative)
     + (SELECT count(*) FROM ducklake_table WHERE NOT path_is_relative)
     + (SELECT count(*) FROM ducklake_data_file WHERE NOT path_is_relative)
     + (SELECT count(*) FROM ducklake_delete_file WHERE NOT path_is_relative)
