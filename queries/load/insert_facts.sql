-- Extracted facts with their provenance (frame new_facts).
INSERT INTO facts BY NAME SELECT * FROM new_facts
