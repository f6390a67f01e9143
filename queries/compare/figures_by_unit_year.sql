-- 对比：所选单位（$departments，2–6 个）在年度与类型筛选内主报告的所选指标（$metrics，空为主要指标），
-- 每个单位、年度、指标一行（满意度类指标取一个评价对象：群众、服务对象优先，见 rated_subject）；
-- 报告未披露的 value 为空。
WITH scope AS (
    SELECT report_id, department_key, report_kind, project_name, year, document_type
    FROM dashboard_reports  -- v_reports's columns the pages use, aliases resolved
    WHERE is_primary AND list_contains($departments, department_key)
      AND department_key BETWEEN list_min($departments) AND list_max($departments)  -- see numbers below
      AND ($year_from IS NULL OR year >= $year_from)
      AND ($year_to IS NULL OR year <= $year_to)
      AND ($kind IS NULL OR report_kind = $kind)
),
wanted AS (  -- the catalogue's 对比 metrics; without a choice its first six
    SELECT metric, unit, compare_order AS ord
    FROM metric_catalogue
    WHERE compare_order IS NOT NULL AND (($metrics IS NULL AND compare_order <= 6) OR list_contains($metrics, metric))
),
numbers AS (  -- the headline row of each metric: one rated subject per report (dashboard_metrics)
    SELECT * FROM dashboard_metrics
    WHERE headline AND report_id IN (SELECT report_id FROM scope)
      -- a number carries its report's department and year: the scan skips the rest of the country
      AND list_contains($departments, department_key)
      -- and their range of keys: a comparison DuckDB applies inside the scan (the list only prunes by zone), so the
      -- wide columns (the sentences) are read for the rows in it only
      AND department_key BETWEEN list_min($departments) AND list_max($departments)
      AND ($year_from IS NULL OR year >= $year_from) AND ($year_to IS NULL OR year <= $year_to)
)
SELECT s.department_key, s.report_kind, s.project_name, s.year, s.report_id, s.document_type, w.metric,
       m.subject AS rated_subject, m.value, w.unit,
       coalesce(m.derived, FALSE) AS derived, m.period_start, m.period_end,
       coalesce(m.corrected, FALSE) AS corrected, coalesce(m.ocr, FALSE) AS ocr, m.source_page, m.source_snippet
FROM scope s
CROSS JOIN wanted w
LEFT JOIN numbers m ON m.report_id = s.report_id AND m.metric = w.metric
ORDER BY w.ord, s.department_key, s.report_kind, s.project_name NULLS FIRST, s.year
