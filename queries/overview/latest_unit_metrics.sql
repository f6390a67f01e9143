-- 总览卡片与排名：每个单位（部门整体，或它的某个项目）在筛选范围内最新一年的预算执行率、信访总量、
-- 满意度（每份报告取一个评价对象）与自评得分，各带出处；prior_value 是同一单位上一年报告的同一指标，
-- 信访总量没有上年报告时取本报告引述的上年同期数（prior_basis 说明来源）。没有任何指标的单位也有一行。
WITH scope AS (
    SELECT report_id, department_key, report_kind, project_name, year, score_grade
    FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, NULL)
),
latest AS (
    SELECT * FROM scope
    QUALIFY row_number() OVER (PARTITION BY department_key, report_kind, coalesce(project_name, '')
                               ORDER BY year DESC) = 1
),
card AS (
    SELECT m.report_id, m.metric, m.subject, m.value, m.unit, m.derived, m.period_start, m.period_end,
           m.corrected, m.source_page, m.source_snippet
    FROM v_metrics m
    JOIN latest l USING (report_id)
    WHERE m.metric IN ('budget.execution_rate_pct', 'petitions.total',
                       'satisfaction.satisfaction_pct', 'score.total')
    QUALIFY row_number() OVER (
        PARTITION BY m.report_id, m.metric
        ORDER BY CASE m.subject WHEN '群众' THEN 1 WHEN '服务对象' THEN 2 WHEN '信访群众' THEN 3 ELSE 9 END,
                 m.subject) = 1
),
prior_report AS (
    SELECT l.report_id, p.report_id AS prior_report_id, p.year AS prior_year
    FROM latest l
    JOIN v_reports p
      ON p.is_primary AND p.department_key = l.department_key AND p.report_kind = l.report_kind
     AND coalesce(p.project_name, '') = coalesce(l.project_name, '') AND p.year = l.year - 1
),
from_prior_report AS (
    SELECT c.report_id, c.metric, pm.value AS prior_value, pr.prior_year
    FROM card c
    JOIN prior_report pr USING (report_id)
    JOIN v_metrics pm
      ON pm.report_id = pr.prior_report_id AND pm.metric = c.metric
     AND coalesce(pm.subject, '') = coalesce(c.subject, '')
),
quoted AS (
    SELECT report_id, 'petitions.total' AS metric, value AS quoted_prior
    FROM v_metrics
    WHERE metric = 'petitions.prior_year_total' AND report_id IN (SELECT report_id FROM latest)
)
SELECT l.department_key, l.report_kind, l.project_name, l.year, l.score_grade, l.report_id,
       c.metric, c.subject, c.value, c.unit, c.derived, c.period_start, c.period_end, c.corrected,
       c.source_page, c.source_snippet,
       coalesce(w.prior_value, q.quoted_prior)                         AS prior_value,
       CASE WHEN w.prior_value IS NOT NULL THEN w.prior_year || '年报告'
            WHEN q.quoted_prior IS NOT NULL THEN '本报告引述的上年同期数' END AS prior_basis
FROM latest l
LEFT JOIN card c USING (report_id)
LEFT JOIN from_prior_report w ON w.report_id = c.report_id AND w.metric = c.metric
LEFT JOIN quoted q ON q.report_id = c.report_id AND q.metric = c.metric
ORDER BY l.report_kind, l.department_key, l.project_name NULLS FIRST, c.metric
