-- The reports taken over from the bulk file (brought) are marked for db.update_metrics, which the write runs
-- before it publishes: their dashboard_metrics rows are computed in the changes file from the rows just
-- copied, not copied from the bulk file. Copying them read every row of the bulk file's dashboard_metrics
-- (233,641 at 30,000 reports: 24 CPU ms of each publish of 100; ten times that at 300,000), and the units a
-- write touches are mostly these departments' anyway; recomputing costs what the departments hold.
INSERT INTO touched_reports SELECT report_id FROM brought
