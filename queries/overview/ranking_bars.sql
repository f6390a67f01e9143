-- 总览排名的条形图：与 overview.ranking 同一批单位（$unit_kind 一类；$year 给定时为各单位该年的报告，为空时为各单位
-- 筛选范围内最新一年的报告），每个披露了 $rank_by 的单位一行（该指标的值，带上年值与出处）。条形图只画最高、最低
-- 各 10 个与其余的中位数（perfboard/present/ranked.py），由这一个指标的行算出；排名表与下载仍用 overview.ranking。
WITH latest AS (
    SELECT * FROM ranked_units($province, $city, $departments, $year_from, $year_to, $kind, $unit_kind, $year)
)
SELECT l.department_key, l.report_kind, l.project_name, l.year, l.score_grade, l.report_id, l.document_type,
       m.metric, m.subject, m.value, m.unit, m.derived, m.period_start, m.period_end, m.corrected,
       m.prior_value, m.prior_year, m.prior_basis
FROM latest l
JOIN dashboard_metrics m ON m.report_id = l.report_id AND m.metric = $rank_by AND m.headline
 -- each unit's latest report: the numbers the kept flags say are not of one are left out before the join (with no
 -- filter the test is the column latest, which DuckDB applies inside the scan)
 AND ($year IS NOT NULL OR kept_latest($province, $city, $year_from, $year_to, m.latest, m.latest_dated, m.unit_first,
                                       m.unit_last) IS NOT FALSE)
ORDER BY CASE WHEN $descending THEN -m.value ELSE m.value END, l.department_key, l.project_name NULLS FIRST
