-- 总览趋势：各年度、部门整体主报告中四个关键指标的中位数（执行率、满意度、自评得分）与信访总量合计
-- （只计全年数：部分月份的数不相加），以及披露该指标的单位数 n；项目报告不计入。
WITH numbers AS (  -- scoped_reports's filters on the number's own copy of its report's columns: no join
    SELECT m.year, m.metric, m.value, m.period_start IS NOT NULL OR m.period_end IS NOT NULL AS partial
    FROM dashboard_metrics m
    JOIN metric_catalogue c ON c.metric = m.metric AND c.card_order IS NOT NULL  -- the card metrics
    WHERE m.is_primary AND m.department_key IS NOT NULL
      AND m.report_kind = 'department_overall' AND ($kind IS NULL OR $kind = 'department_overall')
      AND ($province IS NULL OR m.province = $province) AND ($city IS NULL OR m.city = $city)
      AND ($departments IS NULL OR list_contains($departments, m.department_key))
      AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)
)
SELECT year, metric,
       CASE WHEN metric = 'petitions.total' THEN sum(value) FILTER (NOT partial)
            ELSE round(median(value), 2) END AS value,
       CASE WHEN metric = 'petitions.total' THEN count(*) FILTER (NOT partial) ELSE count(*) END AS n,
       CASE WHEN metric = 'petitions.total' THEN 'sum' ELSE 'median' END AS aggregate
FROM numbers
GROUP BY year, metric
ORDER BY metric, year
