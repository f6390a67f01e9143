-- A merge (in the private copy of the bulk file): drops the facts rows of every report the changes file holds,
-- whose rows there replace them (merge_insert_facts).
DELETE FROM facts WHERE report_id IN (SELECT report_id FROM changes.reports)
