-- 执行率与“实际支出 ÷ 调整后预算”不符（相差超过 0.1 个百分点，舍入误差以外）。
-- Execution rate differs from actual / adjusted by more than rounding.
WITH m AS (
    SELECT report_id,
           max(value) FILTER (metric = 'budget.execution_rate_pct') AS rate,
           max(value) FILTER (metric = 'budget.actual_wan')         AS actual,
           max(value) FILTER (metric = 'budget.adjusted_wan')       AS adjusted
    FROM dashboard_metrics GROUP BY report_id
)
SELECT report_id, 'budget.execution_rate_pct' AS metric,
       printf('执行率 %.2f%%，而实际支出 %.2f ÷ 调整后预算 %.2f = %.2f%%', rate, actual, adjusted,
              actual / adjusted * 100) AS detail
FROM m
WHERE rate IS NOT NULL AND actual IS NOT NULL AND adjusted > 0
  AND abs(rate - actual / adjusted * 100) > 0.1
