-- A merge (in the private copy of the bulk file): the changes file's reports rows, which replace the bulk file's.
INSERT INTO reports BY NAME SELECT * FROM changes.reports
