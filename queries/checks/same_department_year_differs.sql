-- 同一单位同一年度的同类报告入库多份且数字不同：均已保留，看板只用标为“主报告”的一份。
-- The same department and year ingested twice with different figures (both kept; one is primary).
WITH reports AS (
    SELECT report_id, department_key, year, report_kind, coalesce(project_name, '') AS project
    FROM v_reports
),
pairs AS MATERIALIZED (
    SELECT a.report_id, b.report_id AS other_id
    FROM reports a JOIN reports b
      ON a.department_key = b.department_key AND a.year = b.year AND a.report_kind = b.report_kind
     AND a.project = b.project AND a.report_id <> b.report_id
),
numbers AS MATERIALIZED (  -- DISTINCT: estimating the pairs larger than dashboard_metrics, DuckDB built its hash
    -- table on dashboard_metrics (2.5 M rows at 300,000 reports, one file: p95 195 -> 59 ms, BENCHMARKS.md 2026-12-04 19:22)
    SELECT report_id, metric, coalesce(subject, '') AS subject, value
    FROM dashboard_metrics
    WHERE report_id IN (SELECT DISTINCT report_id FROM pairs)
),
differs AS (
    SELECT p.report_id, p.other_id, ma.metric, ma.value AS a_value, mb.value AS b_value
    FROM pairs p
    JOIN numbers ma ON ma.report_id = p.report_id
    JOIN numbers mb ON mb.report_id = p.other_id AND mb.metric = ma.metric AND mb.subject = ma.subject
    WHERE abs(ma.value - mb.value) > 0.005
)
SELECT report_id, min(metric) AS metric,
       printf('与报告 %s 同单位同年度，%d 项数字不同（如 %s：%.2f 对 %.2f）', any_value(other_id), count(*),
              min(metric), arg_min(a_value, metric), arg_min(b_value, metric)) AS detail
FROM differs GROUP BY report_id
