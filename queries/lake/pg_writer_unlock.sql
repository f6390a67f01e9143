-- PostgreSQL (the lake's catalog, through psycopg): release the writer's advisory lock
SELECT pg_advisory_unlock($key)
