-- 信访量：筛选范围内每份报告的信访总量与来信、来访、网上信访、来电各渠道件数，以及报告引述的上年同期总量
-- （prior_year_total，属于 year - 1）；各带统计期间与出处，报告未披露的 value 为空。
WITH scope AS (
    SELECT report_id, department_key, report_kind, project_name, year, document_type
    FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, $max_units)
),
wanted AS (  -- every petitions metric of the catalogue, in its display order
    SELECT metric, unit, display_order AS ord FROM metric_catalogue WHERE metric LIKE 'petitions.%' AND NOT computed
)
SELECT s.department_key, s.report_kind, s.project_name, s.year, s.report_id, s.document_type, w.metric, m.value,
       w.unit, coalesce(m.derived, FALSE) AS derived, m.period_start, m.period_end,
       coalesce(m.corrected, FALSE) AS corrected, coalesce(m.ocr, FALSE) AS ocr, m.source_page, m.source_snippet
FROM scope s
CROSS JOIN wanted w
LEFT JOIN dashboard_metrics m ON m.report_id = s.report_id AND m.metric = w.metric AND m.subject IS NULL
 -- a number's year is its report's: the scope's years bound the scan of dashboard_metrics too
 AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)
ORDER BY s.report_kind, s.department_key, s.project_name NULLS FIRST, s.year, w.ord
