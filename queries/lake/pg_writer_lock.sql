-- PostgreSQL (the lake's catalog, through psycopg): wait for the one writer's advisory lock
SELECT pg_advisory_lock($key)
