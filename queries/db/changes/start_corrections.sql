-- A new changes file holds the whole of the small tables: the bulk file's corrections to start with.
INSERT INTO corrections BY NAME SELECT * FROM base.corrections
