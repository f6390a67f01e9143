-- Ingested reports with their text and the facts that describe each as a whole (frame new_reports).
INSERT INTO reports BY NAME SELECT * FROM new_reports
