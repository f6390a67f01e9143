-- A reader, a merge or a backup reads the changes file read-only, under the catalog name changes.
ATTACH $path AS changes (READ_ONLY)
