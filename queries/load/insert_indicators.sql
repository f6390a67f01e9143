-- Rows of reports' performance-indicator tables (frame new_indicators).
INSERT INTO indicators BY NAME SELECT * FROM new_indicators
