-- 总览卡片：筛选范围内的单位（部门整体，或它的某个项目）按类型与名称排序的前 $limit 个（空为全部），
-- 各自最新一年的预算执行率、信访总量、满意度（每份报告一个评价对象）与自评得分，各带出处；
-- prior_value 是同一单位上一年报告的同一指标，信访总量没有上年报告时取本报告引述的上年同期数
-- （prior_basis 说明来源）。没有任何指标的单位也有一行；units 是范围内的单位总数。document_type 是这份报告的
-- 文件类型（latest_reports 只在单位没有别的报告时才取部门预算这份计划）。范围内的单位多于 $limit 个时，总览不画卡片
-- （只说共有多少个单位：按名称挑出的十几张卡片说明不了几千个单位），这前 $limit 个单位的行便不带指标。
WITH latest AS (
    SELECT report_id, department_key, report_kind, project_name, year, score_grade, document_type,
           count(*) OVER () AS units
    FROM latest_reports($province, $city, $departments, $year_from, $year_to, $kind)
    ORDER BY report_kind, department_key, project_name NULLS FIRST
    LIMIT coalesce($limit, 1000000000)
)
SELECT l.department_key, l.report_kind, l.project_name, l.year, l.score_grade, l.report_id, l.document_type, l.units,
       m.metric, m.subject, m.value, m.unit, m.derived, m.period_start, m.period_end, m.corrected,
       m.source_page, m.source_snippet, m.prior_value, m.prior_basis
FROM latest l
LEFT JOIN (SELECT * FROM dashboard_metrics  -- the numbers only when the cards are drawn
           WHERE report_id IN (SELECT report_id FROM latest WHERE units <= coalesce($limit, units))) m
  -- the department key too: the first units by key are a narrow range of it, which DuckDB passes to the scan of
  -- dashboard_metrics (sorted by year and key) as a filter, so it reads their rows' wide columns only
  ON m.report_id = l.report_id AND m.department_key = l.department_key AND m.headline
 AND m.metric IN (SELECT metric FROM metric_catalogue WHERE card_order IS NOT NULL)  -- the card metrics
ORDER BY l.report_kind, l.department_key, l.project_name NULLS FIRST, m.metric
