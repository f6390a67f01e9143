-- DuckLake (perfboard/lake.py): load the extension from the extension directory that lake.install_extensions
-- laid out (never downloaded at run time).
LOAD ducklake
