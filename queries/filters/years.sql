-- 一年的单位相互比较时（总览排名、各页的单位图）可选的年度：筛选范围内每个有主报告的年度（降序），
-- units 是该年有报告的单位数，disclosed 是其中披露了 $metric 指标的单位数（默认取 disclosed > 0 的最近一年）。
-- Two counts joined by year, not a join of every report with its numbers: a number carries its report's columns
-- (dashboard_metrics), so scoped_reports's filters apply to it directly.
WITH unit_years AS (
    SELECT DISTINCT year, department_key, report_kind, coalesce(project_name, '') AS project
    FROM filtered_reports($province, $city, $departments, $year_from, $year_to, $kind)
    WHERE year IS NOT NULL
),
disclosed AS (
    SELECT DISTINCT year, department_key, report_kind, coalesce(project_name, '') AS project
    FROM dashboard_metrics
    WHERE metric = $metric AND headline AND is_primary AND department_key IS NOT NULL AND year IS NOT NULL
      AND ($province IS NULL OR province = $province) AND ($city IS NULL OR city = $city)
      AND ($departments IS NULL OR list_contains($departments, department_key))
      AND ($year_from IS NULL OR year >= $year_from) AND ($year_to IS NULL OR year <= $year_to)
      AND ($kind IS NULL OR report_kind = $kind)
)
SELECT u.year, u.units, coalesce(d.disclosed, 0) AS disclosed
FROM (SELECT year, count(*) AS units FROM unit_years GROUP BY year) u
LEFT JOIN (SELECT year, count(*) AS disclosed FROM disclosed GROUP BY year) d USING (year)
ORDER BY u.year DESC
