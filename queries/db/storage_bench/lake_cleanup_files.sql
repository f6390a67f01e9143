-- Storage prototype: delete the data files no remaining snapshot needs.
CALL ducklake_cleanup_old_files('lake', cleanup_all => true)
