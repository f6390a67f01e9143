-- Storage prototype: load the DuckLake extension from the extension directory (never downloaded at run time).
LOAD ducklake
