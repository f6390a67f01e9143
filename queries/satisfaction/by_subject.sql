-- 满意度：筛选范围内每份报告、每个评价对象（subject）的满意度、参评率与满意度目标，各带出处；
-- 没有任何满意度数字的报告也有一行（subject 与 value 为空，即未披露）。
WITH scope AS (
    SELECT report_id, department_key, report_kind, project_name, year, document_type
    FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, $max_units)
),
subjects AS (
    SELECT s.*, d.subject
    FROM scope s
    LEFT JOIN (SELECT DISTINCT report_id, subject FROM dashboard_metrics m
               WHERE metric LIKE 'satisfaction.%' AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)) d USING (report_id)
),
wanted AS (  -- every satisfaction metric of the catalogue, in its display order
    SELECT metric, unit, display_order AS ord FROM metric_catalogue WHERE metric LIKE 'satisfaction.%' AND NOT computed
)
SELECT s.department_key, s.report_kind, s.project_name, s.year, s.report_id, s.document_type, s.subject, w.metric, m.value,
       w.unit, coalesce(m.derived, FALSE) AS derived, m.period_start, m.period_end,
       coalesce(m.corrected, FALSE) AS corrected, coalesce(m.ocr, FALSE) AS ocr, m.source_page, m.source_snippet
FROM subjects s
CROSS JOIN wanted w
LEFT JOIN dashboard_metrics m
  ON m.report_id = s.report_id AND m.metric = w.metric AND coalesce(m.subject, '') = coalesce(s.subject, '')
 -- a number's year is its report's: the scope's years bound the scan of dashboard_metrics too
 AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)
ORDER BY s.report_kind, s.department_key, s.project_name NULLS FIRST, s.year, s.subject NULLS LAST, w.ord
