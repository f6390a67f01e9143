-- Open the database file read-only under the catalog name perfboard.
ATTACH $path AS perfboard (READ_ONLY)
