-- 单位很多时的趋势（信访量、绩效得分）：筛选范围内部门整体主报告的指标 $metric（卡片所用的那一行），每年披露它的
-- 单位数 n 与其第 25、50、75 百分位（线性插值，与图表在单位少时用 polars 算的相同）；units 是各年中披露过它的单位数。
-- 图只画这几条线与“我的单位”，所以只取这几十行，不取每个单位每一年的数字。
WITH numbers AS (  -- scoped_reports's filters on the number's own copy of its report's columns: no join
    SELECT m.department_key, m.year, m.value
    FROM dashboard_metrics m
    WHERE m.metric = $metric AND m.headline AND m.is_primary AND m.department_key IS NOT NULL
      AND m.report_kind = 'department_overall' AND ($kind IS NULL OR $kind = 'department_overall')
      AND ($province IS NULL OR m.province = $province) AND ($city IS NULL OR m.city = $city)
      AND ($departments IS NULL OR list_contains($departments, m.department_key))
      AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)
)
SELECT year, $metric AS metric, quantile_cont(value, 0.25) AS p25, median(value) AS p50,
       quantile_cont(value, 0.75) AS p75, count(*) AS n, (SELECT count(DISTINCT department_key) FROM numbers) AS units
FROM numbers
WHERE year IS NOT NULL
GROUP BY year
ORDER BY year
