-- 单位很多时的趋势（信访量、绩效得分）：筛选范围内部门整体主报告的指标 $metric（卡片所用的那一行），每年披露它的
-- 单位数 n 与其第 25、50、75 百分位（线性插值，与图表在单位少时用 polars 算的相同）；units 是各年中披露过它的单位数。
-- 图只画这几条线与“我的单位”，所以只取这几十行，不取每个单位每一年的数字。
WITH numbers AS (
    SELECT s.department_key, s.year, m.value
    FROM scoped_reports($province, $city, $departments, $year_from, $year_to, 'department_overall', NULL) s
    JOIN dashboard_metrics m ON m.report_id = s.report_id AND m.metric = $metric AND m.headline
     AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)
    WHERE $kind IS NULL OR $kind = 'department_overall'
)
SELECT year, $metric AS metric, quantile_cont(value, 0.25) AS p25, median(value) AS p50,
       quantile_cont(value, 0.75) AS p75, count(*) AS n, (SELECT count(DISTINCT department_key) FROM numbers) AS units
FROM numbers
WHERE year IS NOT NULL
GROUP BY year
ORDER BY year
