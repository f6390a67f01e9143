-- A merge: the changes file's corrections, whole (see merge_clear_corrections).
INSERT INTO corrections BY NAME SELECT * FROM changes.corrections
