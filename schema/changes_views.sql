-- A reader of a bulk file (catalog base) and its changes file (catalog changes), db.connect_read: the tables
-- as one database, in the in-memory catalog perfboard, before schema/views.sql runs there. Every report lives
-- in one of the two files: its reports, facts, indicators, dashboard_metrics and dashboard_reports rows come from the changes
-- file once that holds the report, else from the bulk file. The small tables (corrections, aliases,
-- unreadable uploads) are held whole by the changes file. BY NAME: the two files may have added columns in
-- another order.

CREATE VIEW reports AS
SELECT * FROM base.main.reports ANTI JOIN changes.main.reports USING (report_id)
UNION ALL BY NAME SELECT * FROM changes.main.reports;

CREATE VIEW facts AS
SELECT * FROM base.main.facts ANTI JOIN changes.main.reports USING (report_id)
UNION ALL BY NAME SELECT * FROM changes.main.facts;

CREATE VIEW indicators AS
SELECT * FROM base.main.indicators ANTI JOIN changes.main.reports USING (report_id)
UNION ALL BY NAME SELECT * FROM changes.main.indicators;

CREATE VIEW dashboard_metrics AS
SELECT * FROM base.main.dashboard_metrics ANTI JOIN changes.main.reports USING (report_id)
UNION ALL BY NAME SELECT * FROM changes.main.dashboard_metrics;

CREATE VIEW dashboard_reports AS
SELECT * FROM base.main.dashboard_reports ANTI JOIN changes.main.reports USING (report_id)
UNION ALL BY NAME SELECT * FROM changes.main.dashboard_reports;

CREATE VIEW raw_files AS
SELECT * FROM base.main.raw_files
UNION ALL BY NAME SELECT * FROM changes.main.raw_files;

CREATE VIEW corrections AS FROM changes.main.corrections;
CREATE VIEW department_aliases AS FROM changes.main.department_aliases;
CREATE VIEW pending_files AS FROM changes.main.pending_files;
CREATE VIEW metric_catalogue AS FROM changes.main.metric_catalogue;

CREATE VIEW meta AS
SELECT * FROM changes.main.meta
UNION ALL BY NAME SELECT * FROM base.main.meta WHERE key NOT IN (SELECT key FROM changes.main.meta);
