-- The dashboard_reports rows of the reports taken over from the bulk file (brought): copied into the changes file as
-- they are; the write that follows changes them there.
INSERT INTO dashboard_reports BY NAME SELECT * FROM base.dashboard_reports SEMI JOIN brought USING (report_id)
