-- A merge (in the private copy of the bulk file): the changes file's indicators rows, which replace the bulk file's.
INSERT INTO indicators BY NAME SELECT * FROM changes.indicators
