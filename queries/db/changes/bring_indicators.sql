-- The indicators rows of the reports taken over from the bulk file (brought): copied into the changes file as
-- they are; the write that follows changes them there.
INSERT INTO indicators BY NAME SELECT * FROM base.indicators SEMI JOIN brought USING (report_id)
