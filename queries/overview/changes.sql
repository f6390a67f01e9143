-- 变化最大：筛选范围内每个单位最新一年报告的每个指标与同一单位上一年报告同一指标之差；信访总量没有
-- 上年报告时，与本报告引述的上年同期数相比。change 以指标单位计，change_pct 是相对上年的变化（%），
-- 按其绝对值排序，取前 $limit 条。
WITH scope AS (
    SELECT report_id, project_name
    FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, NULL)
    QUALIFY row_number() OVER (PARTITION BY department_key, report_kind, coalesce(project_name, '')
                               ORDER BY year DESC) = 1
),
current_values AS (
    SELECT m.*, s.project_name
    FROM v_metrics m JOIN scope s USING (report_id)
    WHERE m.metric <> 'petitions.prior_year_total'
),
earlier_values AS (
    SELECT m.*, r.project_name
    FROM v_metrics m JOIN v_reports r USING (report_id)
    WHERE r.is_primary
),
against_prior_report AS (
    SELECT c.*, p.value AS prior_value, p.year AS prior_year, p.year || '年报告' AS prior_basis
    FROM current_values c
    JOIN earlier_values p
      ON p.department_key = c.department_key AND p.report_kind = c.report_kind
     AND coalesce(p.project_name, '') = coalesce(c.project_name, '') AND p.year = c.year - 1
     AND p.metric = c.metric AND coalesce(p.subject, '') = coalesce(c.subject, '')
),
against_quoted AS (
    SELECT c.*, q.value AS prior_value, c.year - 1 AS prior_year, '本报告引述的上年同期数' AS prior_basis
    FROM current_values c
    JOIN v_metrics q ON q.report_id = c.report_id AND q.metric = 'petitions.prior_year_total'
    WHERE c.metric = 'petitions.total'
      AND NOT EXISTS (SELECT 1 FROM against_prior_report a
                      WHERE a.report_id = c.report_id AND a.metric = c.metric)
),
pairs AS (
    SELECT * FROM against_prior_report
    UNION ALL BY NAME
    SELECT * FROM against_quoted
)
SELECT department_key, report_kind, project_name, year, metric, subject, value, unit, derived,
       period_start, period_end, corrected, source_page, source_snippet,
       prior_year, prior_value, prior_basis,
       value - prior_value                                                  AS change,
       CASE WHEN prior_value <> 0 THEN (value - prior_value) / abs(prior_value) * 100 END AS change_pct
FROM pairs
ORDER BY abs(change_pct) DESC NULLS LAST, abs(change) DESC, department_key, metric
LIMIT coalesce($limit, 1000000000)
