-- Whether the changes file being merged has dashboard_reports (a changes file of an older perfboard does not: the
-- upgrade that merges it rebuilds the table afterwards).
SELECT count(*) FROM changes.dashboard_reports LIMIT 0
