-- 绩效得分不在 0–100 分之间。
-- A score outside 0–100.
SELECT report_id, metric, printf('得分 %.2f，超出 0–100', value) AS detail
FROM dashboard_metrics
WHERE metric = 'score.total' AND (value < 0 OR value > 100)
