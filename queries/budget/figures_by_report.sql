-- 预算执行：筛选范围内每份报告的年初预算、调整后预算、实际支出、预算执行率（各带出处），
-- 以及由前两者算出的预算调整率 = (调整后预算 - 年初预算) / 年初预算 × 100；报告未披露的指标 value 为空。
-- document_type 是报告的文件类型：部门预算（budget，计划数）只提供年初预算，它的其他预算数字在这里一律
-- 不取（一份计划的“支出”不是执行），执行率、支出与调整率因而不会出自计划。
WITH scope AS (
    SELECT report_id, department_key, report_kind, project_name, year, document_type
    FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, $max_units)
),
wanted AS (  -- the stored budget metrics of the catalogue, in its display order
    SELECT metric, display_order AS ord FROM metric_catalogue WHERE metric LIKE 'budget.%' AND NOT computed
),
grid AS (
    SELECT s.*, w.metric, w.ord, m.value, coalesce(m.derived, FALSE) AS derived, m.period_start,
           m.period_end, coalesce(m.corrected, FALSE) AS corrected, coalesce(m.ocr, FALSE) AS ocr, m.source_page,
           m.source_snippet
    FROM scope s
    CROSS JOIN wanted w
    LEFT JOIN dashboard_metrics m ON m.report_id = s.report_id AND m.metric = w.metric AND m.subject IS NULL
     AND (s.document_type IS DISTINCT FROM 'budget' OR w.metric = 'budget.initial_wan')
     -- a number's year is its report's: the scope's years bound the scan of dashboard_metrics too
     AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)
),
adjustment AS (
    SELECT a.report_id, a.department_key, a.report_kind, a.project_name, a.year, a.document_type,
           'budget.adjustment_rate_pct' AS metric,
           (SELECT display_order FROM metric_catalogue WHERE metric = 'budget.adjustment_rate_pct') AS ord,
           round((a.value - i.value) / nullif(i.value, 0) * 100, 2) AS value,
           i.derived OR a.derived AS derived,
           NULL::VARCHAR AS period_start, NULL::VARCHAR AS period_end,
           i.corrected OR a.corrected AS corrected,
           i.ocr OR a.ocr AS ocr,
           a.source_page,
           CASE WHEN i.source_snippet = a.source_snippet THEN a.source_snippet
                ELSE concat_ws(' ／ ', i.source_snippet, a.source_snippet) END AS source_snippet
    FROM grid a
    JOIN grid i ON i.report_id = a.report_id AND i.metric = 'budget.initial_wan'
    WHERE a.metric = 'budget.adjusted_wan'
)
SELECT department_key, report_kind, project_name, year, report_id, document_type, metric, value, c.unit,
       derived, period_start, period_end, corrected, ocr, source_page, source_snippet
FROM (SELECT * FROM grid UNION ALL BY NAME SELECT * FROM adjustment)
JOIN metric_catalogue c USING (metric)
ORDER BY report_kind, department_key, project_name NULLS FIRST, year, ord
