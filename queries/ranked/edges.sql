-- 单位很多时一年的条形图与分布只画什么：筛选范围内 $year 年主报告中，每个指标（$metrics）、每种报告类型按数值从高到低
-- 排名（与图表相同：并列时按单位键、项目名、评价对象），取最高与最低各 $edge 个，以及“我的单位”（$mine）；
-- 披露的不超过 $show_all 个时全取。页面再只取这些单位的数字（各页原来的查询，departments 为这些单位），
-- 所以取数的行数不随全国的单位数增长。每行带上它所在的指标与报告类型的概数：披露数 n、未披露的单位数 silent、
-- 最小 low、第 25/50/75 百分位（线性插值）、最大 high，图中以中位数表示的“其余”单位（排名在最高与最低各 $edge 个
-- 之间、不是我的单位）的个数 rest 与中位数 rest_median，以及 $bins 个等宽区间（low 到 high）各有多少个 bins。
-- $subjects：满意度按评价对象排名（只取有评价对象的行），其他指标只取无评价对象的行。
-- 预算调整率不存储，由同一报告的年初预算与调整后预算算出（与 budget/figures_by_report.sql 相同）；部门预算（计划）只取年初预算。
WITH stored AS (  -- scoped_reports's filters on the number's own copy of its report's columns: no join
    SELECT m.report_id, m.department_key, m.report_kind, m.project_name, m.metric, m.subject, m.value
    FROM dashboard_metrics m
    WHERE m.year = $year AND m.is_primary AND m.department_key IS NOT NULL AND m.value IS NOT NULL
      AND ($province IS NULL OR m.province = $province) AND ($city IS NULL OR m.city = $city)
      AND ($departments IS NULL OR list_contains($departments, m.department_key))
      AND ($kind IS NULL OR m.report_kind = $kind)
      AND (m.subject IS NOT NULL) = $subjects
      AND (list_contains($metrics, m.metric)
           OR (list_contains($metrics, 'budget.adjustment_rate_pct')
               AND m.metric IN ('budget.initial_wan', 'budget.adjusted_wan')))
      AND (m.document_type IS DISTINCT FROM 'budget' OR m.metric NOT LIKE 'budget.%' OR m.metric = 'budget.initial_wan')
),
adjustment AS (
    SELECT a.report_id, a.department_key, a.report_kind, a.project_name, 'budget.adjustment_rate_pct' AS metric,
           a.subject,
           round((a.value - i.value) / nullif(i.value, 0) * 100, 2) AS value
    FROM stored a
    JOIN stored i ON i.report_id = a.report_id AND i.metric = 'budget.initial_wan'
    WHERE a.metric = 'budget.adjusted_wan' AND list_contains($metrics, 'budget.adjustment_rate_pct')
),
numbers AS (
    SELECT * FROM stored WHERE list_contains($metrics, metric)
    UNION ALL BY NAME
    SELECT * FROM adjustment WHERE value IS NOT NULL
),
ranked AS (  -- one sort: each row's rank, and its metric's size and ends over the same (whole) partition
    SELECT x.*,
           count(*) OVER whole AS n, min(value) OVER whole AS low, max(value) OVER whole AS high,
           row_number() OVER (PARTITION BY metric, report_kind
                              ORDER BY value DESC, department_key, project_name NULLS FIRST, subject NULLS LAST) AS rank
    FROM numbers x
    WINDOW whole AS (PARTITION BY metric, report_kind)
),
flagged AS (  -- the top value falls in the last bin, not one past it
    SELECT *, n <= $show_all OR rank <= $edge OR rank > n - $edge AS edge,
           coalesce(list_contains($mine, department_key), FALSE) AS mine,
           least(CASE WHEN high = low THEN 0 ELSE floor((value - low) / (high - low) * $bins) END, $bins - 1) AS bin
    FROM ranked
),
sizes AS (  -- one aggregate: quantiles, the units a chart summarises by their median (rest), each bin's count
    SELECT metric, report_kind, count(DISTINCT report_id) AS reports,
           quantile_cont(value, 0.25) AS p25, median(value) AS p50, quantile_cont(value, 0.75) AS p75,
           count(*) FILTER (WHERE NOT edge AND NOT mine) AS rest,
           median(value) FILTER (WHERE NOT edge AND NOT mine) AS rest_median,
           histogram(bin) AS counts
    FROM flagged
    GROUP BY metric, report_kind
),
kinds AS (  -- a report of this kind without the metric did not disclose it
    SELECT report_kind, count(*) AS reports
    FROM filtered_reports($province, $city, $departments, $year, $year, $kind)
    GROUP BY report_kind
)
SELECT m.metric, m.report_kind, m.department_key, m.project_name, m.subject, m.rank, m.n,
       k.reports - t.reports AS silent, m.low, t.p25, t.p50, t.p75, m.high, t.rest, t.rest_median,
       list_transform(range($bins), lambda b: coalesce(t.counts[b::DOUBLE], 0)::BIGINT) AS bins  -- an empty bin 0
FROM flagged m
JOIN sizes t USING (metric, report_kind)
JOIN kinds k USING (report_kind)
WHERE m.edge OR m.mine
ORDER BY m.metric, m.report_kind, m.rank
