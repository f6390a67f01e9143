-- The size the open database file must have: its blocks (a truncated copy is shorter).
SELECT total_blocks, block_size FROM pragma_database_size() WHERE database_name = current_database()
