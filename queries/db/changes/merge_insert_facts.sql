-- A merge (in the private copy of the bulk file): the changes file's facts rows, which replace the bulk file's.
INSERT INTO facts BY NAME SELECT * FROM changes.facts
