-- Keep the original bytes of reports (once per content); rows come from the frame new_raw_files.
INSERT INTO raw_files BY NAME SELECT * FROM new_raw_files ON CONFLICT DO NOTHING
