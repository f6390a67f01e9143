-- DuckLake (lake.Lake.writing): who makes this write transaction's snapshot ($author: the ingest process's
-- name), kept in the lake's snapshot list (lake.snapshot_authors).
CALL lake.set_commit_message($author, $message)
