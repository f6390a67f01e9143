-- 绩效得分：筛选范围内每份报告的自评总分（带出处）与评价等级；未披露的为空。
WITH scope AS (
    SELECT report_id, department_key, report_kind, project_name, year, score_grade, document_type
    FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, $max_units)
)
SELECT s.department_key, s.report_kind, s.project_name, s.year, s.report_id, s.score_grade, s.document_type,
       'score.total' AS metric, m.value, '分' AS unit, coalesce(m.derived, FALSE) AS derived,
       m.period_start, m.period_end, coalesce(m.corrected, FALSE) AS corrected, coalesce(m.ocr, FALSE) AS ocr,
       m.source_page, m.source_snippet
FROM scope s
LEFT JOIN dashboard_metrics m ON m.report_id = s.report_id AND m.metric = 'score.total'
 -- a number's year is its report's: the scope's years bound the scan of dashboard_metrics too
 AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)
ORDER BY s.report_kind, s.department_key, s.project_name NULLS FIRST, s.year
