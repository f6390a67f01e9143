-- 百分比（执行率、满意率、参评率、目标值）不在 0–100 之间。
-- A rate outside 0–100.
SELECT report_id, metric, printf('%s = %.2f%%，超出 0–100', metric, value) AS detail
FROM dashboard_metrics
WHERE metric LIKE '%\_pct' ESCAPE '\' AND (value < 0 OR value > 100)
