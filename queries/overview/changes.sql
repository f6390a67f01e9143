-- 变化最大：筛选范围内每个单位最新一年报告的每个指标与同一单位上一年报告同一指标之差；信访总量没有
-- 上年报告时，与本报告引述的上年同期数相比（dashboard_metrics 的 prior_value）。change 以指标单位计，
-- change_pct 是相对上年的变化（%），按其绝对值排序，取前 $limit 条。
WITH pairs AS (
    SELECT m.*, m.value - m.prior_value                                                    AS change,
           CASE WHEN m.prior_value <> 0 THEN (m.value - m.prior_value) / abs(m.prior_value) * 100 END AS change_pct
    FROM dashboard_metrics m
    SEMI JOIN latest_reports($province, $city, $departments, $year_from, $year_to, $kind) l USING (report_id)
    WHERE m.prior_value IS NOT NULL AND m.metric <> 'petitions.prior_year_total'
)
SELECT department_key, report_kind, project_name, year, document_type, metric, subject, value, unit, derived,
       period_start, period_end, corrected, source_page, source_snippet,
       prior_year, prior_value, prior_basis, change, change_pct
FROM pairs
ORDER BY abs(change_pct) DESC NULLS LAST, abs(change) DESC, department_key, metric
LIMIT coalesce($limit, 1000000000)
