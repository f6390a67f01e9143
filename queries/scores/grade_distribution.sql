-- 等级分布：筛选范围内各评价等级（优、良、中、差……；未披露为空）的报告数，部门整体与项目分开计。
SELECT score_grade, report_kind, count(*) AS reports
FROM filtered_reports($province, $city, $departments, $year_from, $year_to, $kind)
GROUP BY score_grade, report_kind
ORDER BY CASE score_grade WHEN '优' THEN 1 WHEN '优秀' THEN 1 WHEN '良' THEN 2 WHEN '良好' THEN 2
                          WHEN '中' THEN 3 WHEN '合格' THEN 3 WHEN '差' THEN 4 WHEN '不合格' THEN 4
                          ELSE 9 END,
         score_grade NULLS LAST, report_kind
