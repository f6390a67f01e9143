-- 地图：筛选范围内每个部门的一个指标 $metric（部门整体报告；项目与所属部门同在一地，不另画；有多个评价对象时取
-- 卡片所用的那一行），连同报告所写的省、市、区县与出处。报告没有披露该指标时也有一行，value 为空（地图上为灰色
-- “未披露”）。$year 给定时只取地图所画的这一年：每个部门该年的报告一行，该年没有报告的部门取其最新一份报告
-- 一行（value 为空，只为定位：灰色“该年无报告”），即一个部门一行，而不是每个部门每一年；$year 为空时为每一年。
-- perfboard.maps.unit_map 画其中一年。
WITH scope AS NOT MATERIALIZED (
    SELECT *
    FROM filtered_reports($province, $city, $departments, $year_from, $year_to, 'department_overall')
),
placed AS (  -- with $year: a unit without a report of that year, by its latest report (a report without a year first)
    SELECT arg_max(report_id, coalesce(year, -1)) AS report_id
    FROM scope
    WHERE $year IS NOT NULL AND department_key NOT IN (SELECT department_key FROM scope WHERE year = $year)
    GROUP BY department_key
)
SELECT r.department_key, r.department, r.province, r.city, r.district, r.year,
       m.value, m.unit, m.subject, m.derived, m.corrected, m.period_start, m.period_end,
       m.source_page, m.source_snippet, r.document_type
FROM scope r
LEFT JOIN dashboard_metrics m ON m.report_id = r.report_id AND m.metric = $metric AND m.headline
 -- a number's year is its report's: the scope's years (and the year drawn) bound the scan of dashboard_metrics
 AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)
 AND ($year IS NULL OR m.year = $year)
WHERE $year IS NULL OR r.year = $year OR r.report_id IN (SELECT report_id FROM placed)
ORDER BY r.department_key, r.year
