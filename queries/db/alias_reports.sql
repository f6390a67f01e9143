-- The reports whose department an alias names ($alias): an alias change moves exactly these to
-- another department key (v_reports), so their old and new units are recomputed.
SELECT report_id FROM reports WHERE department = $alias
