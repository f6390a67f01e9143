-- A merge (in the private copy of the bulk file): drops the reports rows of every report the changes file holds,
-- whose rows there replace them (merge_insert_reports).
DELETE FROM reports WHERE report_id IN (SELECT report_id FROM changes.reports)
