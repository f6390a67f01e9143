-- A merge: the original bytes the changes file received (once per content).
INSERT INTO raw_files BY NAME SELECT * FROM changes.raw_files ON CONFLICT DO NOTHING
