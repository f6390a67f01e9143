-- 一年的单位相互比较时（总览排名、各页的单位图）可选的年度：筛选范围内每个有主报告的年度（降序），
-- units 是该年有报告的单位数，disclosed 是其中披露了 $metric 指标的单位数（默认取 disclosed > 0 的最近一年）。
WITH units AS (  -- a row per unit and year (grouped once, not counted distinct twice)
    SELECT r.year, bool_or(m.value IS NOT NULL) AS disclosed
    FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, NULL) r
    LEFT JOIN dashboard_metrics m ON m.report_id = r.report_id AND m.metric = $metric AND m.headline
     -- a number's year is its report's: the scope's years bound the scan of dashboard_metrics too
     AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)
    WHERE r.year IS NOT NULL
    GROUP BY r.year, r.department_key, r.report_kind, coalesce(r.project_name, '')
)
SELECT year, count(*) AS units, count(*) FILTER (WHERE disclosed) AS disclosed
FROM units
GROUP BY year
ORDER BY year DESC
