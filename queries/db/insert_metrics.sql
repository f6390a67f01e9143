-- dashboard_metrics's rows of the touched reports (touched_reports: whole units, db.touch_units), computed
-- as v_dashboard_metrics (schema/views.sql) computes every row, with v_metrics's logic spelled out so that
-- facts and corrections are filtered by report before the FULL OUTER JOIN (through the view DuckDB cannot
-- push the filter down). A change to v_metrics or v_dashboard_metrics must be made here too: the tests
-- compare this table with a full rebuild after every kind of write (tests/test_incremental_metrics.py).
INSERT INTO dashboard_metrics BY NAME
WITH touched AS (SELECT DISTINCT report_id FROM touched_reports),
r AS (SELECT * FROM v_reports SEMI JOIN touched USING (report_id)),
numeric_facts AS (SELECT * FROM facts SEMI JOIN touched USING (report_id) WHERE value IS NOT NULL),
active_corrections AS (
    SELECT * FROM corrections SEMI JOIN touched USING (report_id) WHERE undone_at IS NULL
    QUALIFY row_number() OVER (PARTITION BY report_id, metric, coalesce(subject, '')
                               ORDER BY created_at DESC, correction_id DESC) = 1
),
merged AS (
    SELECT coalesce(f.report_id, c.report_id) AS report_id, coalesce(f.metric, c.metric) AS metric,
           coalesce(f.subject, c.subject) AS subject,
           CASE WHEN c.correction_id IS NULL THEN f.value ELSE c.new_value END AS value,
           CASE WHEN c.correction_id IS NULL THEN f.derived ELSE FALSE END AS derived,
           f.period_start, f.period_end, f.source_page,
           coalesce(c.source_snippet, f.source_snippet) AS source_snippet,
           c.correction_id IS NOT NULL AS corrected, f.value AS extracted_value,
           coalesce(f.ocr, FALSE) AS ocr, f.ocr_confidence,
           CASE WHEN c.correction_id IS NULL THEN f.confidence ELSE 1.0 END AS confidence
    FROM numeric_facts f
    FULL OUTER JOIN active_corrections c
      ON c.report_id = f.report_id AND c.metric = f.metric AND coalesce(c.subject, '') = coalesce(f.subject, '')
),
m AS (
    SELECT x.report_id, r.department_key, r.department, r.year, x.metric, x.subject, x.value, x.derived,
           x.period_start, x.period_end, x.source_page, x.source_snippet, x.corrected, x.extracted_value,
           r.province, r.city, r.district, r.report_kind, r.is_primary,
           c.unit,
           x.ocr, x.ocr_confidence, x.confidence, r.document_type,
           r.project_name, r.source_file, coalesce(r.project_name, '') AS project,
           d.latest, d.latest_dated, d.unit_first, d.unit_last
    FROM merged x JOIN r USING (report_id)
    JOIN dashboard_reports d USING (report_id)  -- kept for the touched units just before (db.update_metrics)
    LEFT JOIN metric_catalogue c ON c.metric = x.metric
    WHERE x.value IS NOT NULL
),
prior_report AS (
    SELECT department_key, report_kind, project, year, metric, coalesce(subject, '') AS subject_key, value
    FROM m
    WHERE is_primary
    QUALIFY row_number() OVER (PARTITION BY department_key, report_kind, project, year, metric, subject_key
                               ORDER BY report_id) = 1
),
quoted AS (
    SELECT report_id, 'petitions.total' AS metric, any_value(value) AS value
    FROM m WHERE metric = 'petitions.prior_year_total'
    GROUP BY report_id
)
SELECT m.* EXCLUDE (project),
       coalesce(p.value, q.value)                                     AS prior_value,
       CASE WHEN coalesce(p.value, q.value) IS NOT NULL THEN m.year - 1 END AS prior_year,
       CASE WHEN p.value IS NOT NULL THEN (m.year - 1) || '年报告'
            WHEN q.value IS NOT NULL THEN '本报告引述的上年同期数' END AS prior_basis,
       row_number() OVER (PARTITION BY m.report_id, m.metric
                          ORDER BY CASE m.subject WHEN '群众' THEN 1 WHEN '服务对象' THEN 2
                                                  WHEN '信访群众' THEN 3 ELSE 9 END,
                                   m.subject) = 1          AS headline
FROM m
LEFT JOIN prior_report p
  ON p.department_key = m.department_key AND p.report_kind = m.report_kind AND p.project = m.project
 AND p.year = m.year - 1 AND p.metric = m.metric AND p.subject_key = coalesce(m.subject, '')
LEFT JOIN quoted q ON q.report_id = m.report_id AND q.metric = m.metric
ORDER BY m.year DESC, m.department_key, m.report_kind, m.project_name NULLS FIRST, m.metric, m.subject NULLS FIRST
