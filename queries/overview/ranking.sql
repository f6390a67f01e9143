-- 总览排名：一类单位（$unit_kind：部门整体或项目，两类不混排）的四个关键指标，按 $rank_by 指标排名
-- （$descending 为真时由大到小，否则由小到大）；没有披露该指标的单位排在最后。$year 给定时比较的是
-- 各单位同一年（$year）的报告；为空时是各单位在筛选范围内最新一年的报告（各单位年度可能不同）。
-- 每个值带同一单位上一年报告的同一指标（prior_value，信访总量没有上年报告时为本报告引述的上年同期数）。
-- 取前 $limit 个单位（空为全部），每个单位每个指标一行；units 是这一类参与排名的单位总数。
WITH latest AS (
    SELECT * FROM ranked_units($province, $city, $departments, $year_from, $year_to, $kind, $unit_kind, $year)
),
ranked AS (
    SELECT l.*, r.value AS rank_value, count(*) OVER () AS units
    FROM latest l
    LEFT JOIN dashboard_metrics r ON r.report_id = l.report_id AND r.metric = $rank_by AND r.headline
     -- each unit's latest report: numbers the kept flags say are not of one are left out before the join
     AND ($year IS NOT NULL OR kept_latest($province, $city, $year_from, $year_to, r.latest, r.latest_dated,
                                           r.unit_first, r.unit_last) IS NOT FALSE)
    ORDER BY CASE WHEN $descending THEN -r.value ELSE r.value END NULLS LAST, l.department_key,
             l.project_name NULLS FIRST
    LIMIT coalesce($limit, 1000000000)
)
SELECT k.department_key, k.report_kind, k.project_name, k.year, k.score_grade, k.report_id, k.document_type, k.units,
       m.metric, m.subject, m.value, m.unit, m.derived, m.period_start, m.period_end, m.corrected,
       m.prior_value, m.prior_year, m.prior_basis
FROM ranked k
LEFT JOIN dashboard_metrics m
  ON m.report_id = k.report_id AND m.headline
 AND ($year IS NOT NULL OR kept_latest($province, $city, $year_from, $year_to, m.latest, m.latest_dated, m.unit_first,
                                       m.unit_last) IS NOT FALSE)
 AND m.metric IN (SELECT metric FROM metric_catalogue WHERE card_order IS NOT NULL)  -- the card metrics
ORDER BY CASE WHEN $descending THEN -k.rank_value ELSE k.rank_value END NULLS LAST, k.department_key,
         k.project_name NULLS FIRST, m.metric
