-- DuckLake (perfboard.lake check): how many reports, contents, facts and dashboard rows the lake holds, and
-- how many distinct: every report and every file's bytes must be there once; corrections (live ones), aliases and
-- unreadable uploads kept.
SELECT (SELECT count(*) FROM reports) AS reports,
       (SELECT count(DISTINCT report_id) FROM reports) AS distinct_reports,
       (SELECT count(DISTINCT sha256) FROM reports) AS distinct_report_contents,
       (SELECT count(*) FROM raw_files) AS raw_files,
       (SELECT count(DISTINCT sha256) FROM raw_files) AS distinct_raw_files,
       (SELECT count(*) FROM facts) AS facts,
       (SELECT count(*) FROM dashboard_metrics) AS dashboard_rows,
       (SELECT count(*) FROM corrections WHERE undone_at IS NULL) AS corrections,
       (SELECT count(*) FROM department_aliases) AS aliases,
       (SELECT count(*) FROM pending_files) AS pending_files
