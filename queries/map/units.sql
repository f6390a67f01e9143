-- 地图：筛选范围内每个部门每一年的一个指标 $metric（部门整体报告；项目与所属部门同在一地，不另画；
-- 有多个评价对象时取卡片所用的那一行），连同报告所写的省、市、区县与出处。报告没有披露该指标时
-- 也有一行，value 为空（地图上为灰色“未披露”）。perfboard.maps.unit_map 选出其中一年来画。
SELECT r.department_key, r.department, r.province, r.city, r.district, r.year,
       m.value, m.unit, m.subject, m.derived, m.corrected, m.period_start, m.period_end,
       m.source_page, m.source_snippet, r.document_type
FROM scoped_reports($province, $city, $departments, $year_from, $year_to, 'department_overall', NULL) r
LEFT JOIN dashboard_metrics m ON m.report_id = r.report_id AND m.metric = $metric AND m.headline
 -- a number's year is its report's: the scope's years bound the scan of dashboard_metrics too
 AND ($year_from IS NULL OR m.year >= $year_from) AND ($year_to IS NULL OR m.year <= $year_to)
ORDER BY r.department_key, r.year
