-- 同一单位同一指标较上一年变化超过 $factor 倍（上升或下降），请核对单位（元/万元）或口径。
-- A department's (or project's) figure jumps by more than a factor against its report of the year before.
SELECT report_id, metric,
       printf('%s 由 %d 年的 %.2f 变为 %d 年的 %.2f（%.1f 倍）', metric, prior_year, prior_value, year, value,
              greatest(value / prior_value, prior_value / value)) AS detail
FROM dashboard_metrics
WHERE is_primary AND metric NOT LIKE '%\_pct' ESCAPE '\' AND value > 0
  AND prior_value > 0 AND prior_basis LIKE '%年报告'
  AND greatest(value / prior_value, prior_value / value) > $factor
