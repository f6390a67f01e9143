-- dashboard_reports's rows of the touched reports (touched_reports: whole units, db.touch_units), computed as
-- v_dashboard_reports (schema/views.sql) computes every row, with the filter by report below the window: a unit's
-- flags depend on its own reports only, and the touched reports are whole units. A change to v_dashboard_reports
-- must be made here too: db.metrics_drift compares the kept table with a full rebuild (tests/test_incremental_metrics.py).
INSERT INTO dashboard_reports BY NAME
WITH r AS (
    SELECT report_id, department_key, department, province, city, district, year, document_type, report_kind,
           project_name, score_grade, source_file, is_primary, sha256, file_format, extractor_version, ingested_at,
           review_status,
           is_primary AND department_key IS NOT NULL AS ranked,
           (document_type IS DISTINCT FROM 'budget')::INTEGER AS not_budget
    FROM v_reports
    WHERE report_id IN (SELECT report_id FROM touched_reports)
)
SELECT * EXCLUDE (ranked, not_budget),
       coalesce(ranked AND row_number() OVER (
           PARTITION BY ranked, department_key, report_kind, project_name
           ORDER BY not_budget DESC, coalesce(year, 99999) DESC, report_id DESC) = 1, FALSE) AS latest,
       coalesce(ranked AND year IS NOT NULL AND row_number() OVER (
           PARTITION BY ranked AND year IS NOT NULL, department_key, report_kind, project_name
           ORDER BY not_budget DESC, year DESC, report_id DESC) = 1, FALSE) AS latest_dated,
       CASE WHEN ranked THEN min(year) OVER (PARTITION BY ranked, department_key, report_kind, project_name) END
           AS unit_first,
       CASE WHEN ranked THEN max(year) OVER (PARTITION BY ranked, department_key, report_kind, project_name) END
           AS unit_last
FROM r
