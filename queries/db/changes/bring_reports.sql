-- The reports rows of the reports taken over from the bulk file (brought): copied into the changes file as
-- they are; the write that follows changes them there. Their rows are found through the row map (bulk_rows)
-- and read by row id, so the scan reads only those rows.
INSERT INTO reports BY NAME
SELECT * FROM base.reports
WHERE rowid IN (SELECT report_row FROM base.bulk_rows WHERE id_h IN (SELECT hash(report_id) FROM brought))
  AND report_id IN (SELECT report_id FROM brought)
