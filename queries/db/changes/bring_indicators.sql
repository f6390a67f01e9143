-- The indicators rows of the reports taken over from the bulk file (brought): copied into the changes file as
-- they are; the write that follows changes them there. Read by row id, between each report's first and last
-- indicators row in the row map (bulk_rows), as bring_facts reads facts.
INSERT INTO indicators BY NAME
SELECT * FROM base.indicators
WHERE rowid IN (SELECT unnest(range(indicators_from, indicators_to + 1)) FROM base.bulk_rows
                WHERE id_h IN (SELECT hash(report_id) FROM brought))
  AND report_id IN (SELECT report_id FROM brought)
