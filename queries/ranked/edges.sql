-- 单位很多时一年的条形图与分布只画什么：筛选范围内 $year 年主报告中，每个指标（$metrics）、每种报告类型按数值从高到低
-- 排名（与图表相同：并列时按单位键、项目名、评价对象），取最高与最低各 $edge 个，以及“我的单位”（$mine）；
-- 披露的不超过 $show_all 个时全取。页面再只取这些单位的数字（各页原来的查询，departments 为这些单位），
-- 所以取数的行数不随全国的单位数增长。每行带上它所在的指标与报告类型的概数：披露数 n、未披露的单位数 silent、
-- 最小 low、第 25/50/75 百分位（线性插值）、最大 high，图中以中位数表示的“其余”单位（排名在最高与最低各 $edge 个
-- 之间、不是我的单位）的个数 rest 与中位数 rest_median，以及 $bins 个等宽区间（low 到 high）各有多少个 bins。
-- $subjects：满意度按评价对象排名（只取有评价对象的行），其他指标只取无评价对象的行。
-- 预算调整率不存储，由同一报告的年初预算与调整后预算算出（与 budget/figures_by_report.sql 相同）；部门预算（计划）只取年初预算。
WITH scope AS (
    SELECT report_id, department_key, report_kind, project_name, document_type
    FROM filtered_reports($province, $city, $departments, $year, $year, $kind)
),
stored AS (
    SELECT m.report_id, m.metric, m.subject, m.value
    FROM dashboard_metrics m
    JOIN scope s USING (report_id)
    WHERE m.year = $year AND m.value IS NOT NULL AND (m.subject IS NOT NULL) = $subjects
      AND (list_contains($metrics, m.metric)
           OR (list_contains($metrics, 'budget.adjustment_rate_pct')
               AND m.metric IN ('budget.initial_wan', 'budget.adjusted_wan')))
      AND (s.document_type IS DISTINCT FROM 'budget' OR m.metric NOT LIKE 'budget.%' OR m.metric = 'budget.initial_wan')
),
adjustment AS (
    SELECT a.report_id, 'budget.adjustment_rate_pct' AS metric, a.subject,
           round((a.value - i.value) / nullif(i.value, 0) * 100, 2) AS value
    FROM stored a
    JOIN stored i ON i.report_id = a.report_id AND i.metric = 'budget.initial_wan'
    WHERE a.metric = 'budget.adjusted_wan' AND list_contains($metrics, 'budget.adjustment_rate_pct')
),
ranked AS (
    SELECT v.metric, s.report_kind, s.report_id, s.department_key, s.project_name, v.subject, v.value,
           row_number() OVER (PARTITION BY v.metric, s.report_kind
                              ORDER BY v.value DESC, s.department_key, s.project_name NULLS FIRST,
                                       v.subject NULLS LAST) AS rank,
           count(*) OVER (PARTITION BY v.metric, s.report_kind) AS n,
           min(v.value) OVER (PARTITION BY v.metric, s.report_kind) AS low,
           max(v.value) OVER (PARTITION BY v.metric, s.report_kind) AS high
    FROM (SELECT * FROM stored WHERE list_contains($metrics, metric) UNION ALL SELECT * FROM adjustment) v
    JOIN scope s USING (report_id)
    WHERE v.value IS NOT NULL
),
flagged AS (
    SELECT *, n <= $show_all OR rank <= $edge OR rank > n - $edge AS edge,
           coalesce(list_contains($mine, department_key), FALSE) AS mine
    FROM ranked
),
stats AS (
    SELECT metric, report_kind, count(DISTINCT report_id) AS reports,
           quantile_cont(value, 0.25) AS p25, median(value) AS p50, quantile_cont(value, 0.75) AS p75,
           count(*) FILTER (WHERE NOT edge AND NOT mine) AS rest,
           median(value) FILTER (WHERE NOT edge AND NOT mine) AS rest_median
    FROM flagged
    GROUP BY metric, report_kind
),
binned AS (  -- the top value falls in the last bin, not one past it
    SELECT metric, report_kind,
           least(CASE WHEN high = low THEN 0 ELSE floor((value - low) / (high - low) * $bins) END, $bins - 1) AS bin,
           count(*) AS units
    FROM ranked
    GROUP BY ALL
),
histogram AS (  -- every bin, an empty one 0
    SELECT d.metric, d.report_kind, list(coalesce(b.units, 0) ORDER BY t.k) AS bins
    FROM (SELECT DISTINCT metric, report_kind FROM ranked) d
    CROSS JOIN range($bins) t(k)
    LEFT JOIN binned b ON b.metric = d.metric AND b.report_kind = d.report_kind AND b.bin = t.k
    GROUP BY d.metric, d.report_kind
),
kinds AS (  -- a report of this kind without the metric did not disclose it
    SELECT report_kind, count(*) AS reports FROM scope GROUP BY report_kind
)
SELECT m.metric, m.report_kind, m.department_key, m.project_name, m.subject, m.rank, m.n,
       k.reports - t.reports AS silent, m.low, t.p25, t.p50, t.p75, m.high, t.rest, t.rest_median, h.bins
FROM flagged m
JOIN stats t USING (metric, report_kind)
JOIN histogram h USING (metric, report_kind)
JOIN kinds k USING (report_kind)
WHERE m.edge OR m.mine
ORDER BY m.metric, m.report_kind, m.rank
