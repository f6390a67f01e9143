-- The batched rebuild's temporary dashboard_reports (as temp_metrics): db.insert_dashboard_reports fills it a batch at
-- a time, and db.insert_metrics reads the batch's flags from it.
CREATE OR REPLACE TEMP TABLE dashboard_reports AS FROM v_dashboard_reports WHERE false
