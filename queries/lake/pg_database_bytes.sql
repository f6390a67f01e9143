-- PostgreSQL (the lake benchmark, through psycopg): the bytes of the lake's catalog database, inlined rows
-- (small inserts DuckLake keeps in the catalog until `lake maintain` flushes them) included.
SELECT pg_database_size(current_database())
