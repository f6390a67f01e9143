-- The changes file's writer reads the bulk file (the served database) read-only, under the catalog name base.
ATTACH $path AS base (READ_ONLY)
