-- A reader of a bulk file with its changes file: the union views (schema/changes_views.sql) and the
-- contract's views live in an in-memory catalog named perfboard, as the bulk file's own would.
ATTACH ':memory:' AS perfboard
