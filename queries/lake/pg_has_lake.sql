-- PostgreSQL (lake restore, through psycopg): whether this catalog database holds a DuckLake already (its
-- metadata table): a restore goes only into a new, empty one.
SELECT to_regclass('ducklake_metadata') IS NOT NULL
