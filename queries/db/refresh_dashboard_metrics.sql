-- The dashboard's copy of v_metrics, rebuilt by the writer just before it publishes (one
-- writer, so it is never stale; db.py). v_metrics's FULL OUTER JOIN with corrections keeps
-- DuckDB from pushing filters into it, and the 总览 queries would each evaluate it two or
-- three times. Besides v_metrics's columns, each row carries:
--   project_name, source_file  of its report;
--   prior_value, prior_year, prior_basis  what it is compared with: the same unit's primary
--       report of the year before (same metric and subject) or, for petitions.total without
--       one, the prior-year total the report itself quotes;
--   headline  the row a card shows for its report and metric (satisfaction: the public
--       first — 群众, then 服务对象, then 信访群众).
CREATE OR REPLACE TABLE dashboard_metrics AS
WITH m AS (
    SELECT m.*, r.project_name, r.source_file, coalesce(r.project_name, '') AS project
    FROM v_metrics m JOIN v_reports r USING (report_id)
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
